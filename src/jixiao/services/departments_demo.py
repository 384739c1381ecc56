"""Demo data: the seed centre's department-wide targets for 2022 and its roll-up self-evaluation.

上海市青浦区城市运行管理中心 is the department of the seven seed projects (its 本级 unit declares
them). Its overall targets are declared by the unit head, graded 良 by the department reviewer and
by finance, and published; the self-evaluation rolls up the seven projects' demo self-evaluations
and waits, as a draft with every actual written, for the unit to submit it. The figures are made
up but plausible; the roll-up is computed, as always.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.db.accounts.models import Organisation, User
from jixiao.db.departments.models import DepartmentDeclarationRecord
from jixiao.domain.department import DepartmentDeclaration
from jixiao.domain.model import Goals, Indicator
from jixiao.domain.targets import try_parse_target
from jixiao.domain.vocabulary import GOOD
from jixiao.services import departments as svc

__all__ = ["DEMO_DEPARTMENT_INDICATORS", "load_department_demo"]

YEAR = 2022
DEPARTMENT = "上海市青浦区城市运行管理中心"
BASIC = Decimal("8650000.00")  # 基本支出 (made up)

# 一级, 二级, 三级, 指标值, the demo's 实际完成值
DEMO_DEPARTMENT_INDICATORS: tuple[tuple[str, str, str, str, str], ...] = (
    ("履职效能", "重点工作履职情况", "12345热线工单按时办结率", ">=95%", "97.2%"),
    ("履职效能", "产出数量", "城市网格巡查覆盖率", "=100%", "100%"),
    ("管理效率", "预算管理", "部门预算执行率", ">=90%", "92.1%"),
    ("管理效率", "绩效管理", "项目绩效自评覆盖率", "=100%", "100%"),
    ("社会效应", "社会效益指标", "城市运行重大安全事故", "零事故", "0起"),
    ("可持续发展", "制度建设", "城市运行管理制度体系", "建立健全", "达成年度指标"),
    ("服务对象满意度", "服务对象满意度指标", "市民对城市运行管理的满意度", ">=90%", "93%"),
)


def _declaration(org: Organisation) -> DepartmentDeclaration:
    doc = svc.initial_declaration(org, YEAR)
    project = doc.funds.project or Decimal(0)
    doc.funds.basic = BASIC
    doc.funds.total = BASIC + project
    doc.funds.appropriation = BASIC + project
    doc.funds.carryover = Decimal("0.00")
    doc.funds.other = Decimal("0.00")
    doc.duties = (
        "统筹全区城市运行综合管理，承担12345市民服务热线、城市网格化管理和城市运行风险防控的"
        "组织协调、监督考核工作。"
    )
    doc.goals = Goals(
        overall="建成“一网统管”城市运行体系，城市运行问题发现及时、处置高效，市民满意度稳步提高。",
        annual="2022年完成网格巡查全覆盖，热线工单按时办结率不低于95%，部门预算执行率不低于90%，"
        "全年不发生重大城市运行安全事故。",
    )
    doc.indicators = [
        Indicator(level1, level2, name, try_parse_target(target))
        for level1, level2, name, target, _ in DEMO_DEPARTMENT_INDICATORS
    ]
    return doc


def load_department_demo() -> bool:
    """Create the centre's 2022 department declaration and self-evaluation; False when they exist."""
    org = Organisation.objects.filter(name=DEPARTMENT, kind=Organisation.Kind.DEPARTMENT).first()
    users = {u.username: u for u in User.objects.filter(username__in=("unithead", "deptreviewer", "finance"))}
    if org is None or len(users) < 3:
        return False
    if DepartmentDeclarationRecord.objects.filter(organisation=org, year=YEAR).exists():
        return False
    record = svc.save_declaration(users["unithead"], org, _declaration(org))
    svc.take_step(users["unithead"], record, "submit")
    svc.take_step(
        users["deptreviewer"],
        record,
        "dept_review",
        grade=GOOD,
        comment="同意报送；履职效能指标可再细化到季度",
    )
    svc.take_step(users["finance"], record, "finance_review", grade=GOOD, comment="同意批复")
    svc.take_step(users["finance"], record, "publish", confirmed=True)
    actuals: dict[int, tuple[str | None, str | None]] = {
        n: (row[4], None) for n, row in enumerate(DEMO_DEPARTMENT_INDICATORS)
    }
    # 部门预算执行率 is what the roll-up of the projects computes, not a made-up figure
    rolled = svc.department_rollup(record)
    rate = rolled.figures.execution_rate if rolled is not None else None
    for n, row in enumerate(DEMO_DEPARTMENT_INDICATORS):
        if row[2] == "部门预算执行率" and rate is not None:
            note = None if rate >= 90 else "部分项目合同结算周期延至次年支付，已督促按季度结算、加快执行。"
            actuals[n] = (f"{rate}%", note)
    svc.refresh_self_evaluation(
        users["unithead"],
        record,
        outcome="全年完成网格巡查全覆盖，热线工单按时办结率97.2%，七个项目均已完成自评；"
        "部分项目合同结算延至次年，预算执行率略低于项目计划。",
        actuals=actuals,
    )
    return True
