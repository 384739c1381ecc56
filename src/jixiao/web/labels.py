"""Values of the core that the pages show by value (``{% translate value %}``, ``gettext(value)``).

makemessages cannot see a msgid held in a variable; naming each value here with ``gettext_noop``
puts it in the catalogue. ``tests/web/test_catalogue.py`` checks these against the core's tuples,
so a value the core adds without its English fails there.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# The three qualitative grades of 10号 (jixiao.evaluation.config.QUALITATIVE_GRADES).
QUALITATIVE_GRADES = (
    gettext_noop("达成年度指标"),
    gettext_noop("部分达成年度指标并具有一定效果"),
    gettext_noop("未达成年度指标且效果较差"),
)
# 完成目标可能性 of the monitoring table (jixiao.evaluation.config.LIKELIHOODS).
LIKELIHOODS = (gettext_noop("确定能"), gettext_noop("有可能"), gettext_noop("完全不可能"))
# 偏差原因分析 categories (jixiao.evaluation.config.DEVIATION_REASONS).
DEVIATION_REASONS = (
    gettext_noop("经费"),
    gettext_noop("制度"),
    gettext_noop("人员"),
    gettext_noop("硬件条件保障"),
    gettext_noop("其他"),
)
# The department framework's 一级 and 二级 (jixiao.domain.department.DEPARTMENT_FRAMEWORKS).
DEPARTMENT_LEVELS = (
    gettext_noop("履职效能"),
    gettext_noop("管理效率"),
    gettext_noop("社会效应"),
    gettext_noop("可持续发展"),
    gettext_noop("服务对象满意度"),
    gettext_noop("重点工作履职情况"),
    gettext_noop("部门职责履行"),
    gettext_noop("产出数量"),
    gettext_noop("产出质量"),
    gettext_noop("产出时效"),
    gettext_noop("预算管理"),
    gettext_noop("财务管理"),
    gettext_noop("资产管理"),
    gettext_noop("绩效管理"),
    gettext_noop("内控管理"),
    gettext_noop("经济效益指标"),
    gettext_noop("社会效益指标"),
    gettext_noop("生态效益指标"),
    gettext_noop("可持续影响指标"),
    gettext_noop("队伍建设"),
    gettext_noop("制度建设"),
    gettext_noop("服务对象满意度指标"),
)
