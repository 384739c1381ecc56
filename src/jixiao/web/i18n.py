"""English for the Chinese UI: one dict, no gettext catalogues to compile at install time.

Templates write Chinese and wrap it in ``{% t "…" %}`` (or ``|t``); with English selected
(LocaleMiddleware, the language switch) the text is looked up here; a missing entry shows Chinese.
"""

from __future__ import annotations

from django.utils import translation

__all__ = ["EN", "is_en", "lang", "t"]

EN: dict[str, str] = {
    # navigation and common words
    "绩效目标管理": "Performance targets",
    "首页": "Dashboard",
    "申报表": "Declarations",
    "新建申报表": "New declaration",
    "导入": "Import",
    "待我审核": "My review queue",
    "公开信息": "Public",
    "管理后台": "Admin",
    "退出": "Sign out",
    "登录": "Sign in",
    "用户名": "User name",
    "密码": "Password",
    "语言": "Language",
    "API 令牌": "API token",
    "搜索": "Search",
    "筛选": "Filter",
    "全部": "All",
    "年度": "Year",
    "组织": "Organisation",
    "单位": "Unit",
    "状态": "Status",
    "等级": "Grade",
    "审核等级": "Review grade",
    "机审等级": "Automatic grade",
    "审核发现": "Findings",
    "项目名称": "Project name",
    "项目类别": "Project category",
    "项目性质": "Project nature",
    "主管部门": "Competent department",
    "实施单位": "Implementing unit",
    "计划开始日期": "Planned start",
    "计划完成日期": "Planned end",
    "项目资金（元）": "Project funds (yuan)",
    "项目资金总额": "Total project funds",
    "其中：财政资金": "of which fiscal funds",
    "其他资金": "Other funds",
    "年度资金申请总额": "Annual funds requested",
    "其中：当年财政拨款": "of which this year's appropriation",
    "上年结转资金": "Carry-over from last year",
    "项目绩效目标": "Performance goals",
    "项目总目标": "Overall goal",
    "年度总目标": "Annual goal",
    "绩效指标": "Performance indicators",
    "一级指标": "Level 1",
    "二级指标": "Level 2",
    "三级指标": "Level 3 indicator",
    "指标目标值": "Target value",
    "操作": "Actions",
    "保存草稿": "Save draft",
    "保存": "Save",
    "取消": "Cancel",
    "编辑": "Edit",
    "历史": "History",
    "导出 JSON": "Export JSON",
    "导出 Excel": "Export Excel",
    "导出 PDF": "Export PDF",
    "添加指标": "Add indicator",
    "删除": "Remove",
    "上移": "Up",
    "下移": "Down",
    "版本": "Version",
    "上一页": "Previous",
    "下一页": "Next",
    "共": "Total",
    "条": "items",
    "无": "None",
    "暂无数据": "Nothing here yet",
    "财政项目支出绩效目标申报表": "Project expenditure performance target declaration",
    "审核意见": "Review comments",
    "流程记录": "Workflow record",
    "时间": "Time",
    "人员": "Person",
    "动作": "Action",
    "意见": "Comment",
    "由": "From",
    "至": "To",
    "修改记录": "Change history",
    "字段": "Field",
    "原值": "Before",
    "新值": "After",
    "新建": "Created",
    "修改": "Changed",
    "流程": "Workflow",
    "提交": "Submit",
    "审核": "Review",
    "意见（等级为中、差或退回时必填）": "Comment (required for 中, 差 or sending back)",
    "执行": "Go",
    "当前状态": "Current state",
    "可执行的操作": "Available actions",
    "您对此申报表没有可执行的流程操作。": "There is no workflow action for you on this declaration.",
    "目标值解析": "How the target reads",
    "按申报表状态": "By status",
    "按审核等级": "By grade",
    "按年度": "By year",
    "待处理的审核发现": "Findings to address",
    "待我处理": "Waiting for me",
    "申报表总数": "Declarations",
    "已公开": "Published",
    "审核中": "Under review",
    "草稿与退回": "Drafts and returned",
    "上传文件": "Upload a file",
    "支持文本（提取文本）、JSON；Excel、PDF 在安装相应读取器后可用。": "Text (extracted) and JSON; Excel and PDF when their readers are installed.",
    "预览": "Preview",
    "确认导入": "Confirm import",
    "导入预览": "Import preview",
    "解析警告": "Parser warnings",
    "个指标": "indicators",
    "导入到": "Import into",
    "公开的绩效目标": "Published performance targets",
    "按单位与年度公开的财政项目支出绩效目标申报表。": "Published project performance target declarations by unit and year.",
    "返回": "Back",
    "机器审核": "Automatic review",
    "重新审核": "Review again",
    "建议": "Suggestion",
    "依据": "Basis",
    "未发现问题": "No findings",
    "审核引擎尚未安装": "The review engine is not installed",
    "用户名或密码错误": "Wrong user name or password",
    "保存成功": "Saved",
    "签发令牌": "Issue a token",
    "请妥善保存，此令牌只显示一次：": "Keep it safe; this token is shown once:",
    "我的账户": "My account",
    "角色": "Role",
    "指标库建议": "Suggestions from the indicator library",
    "公开页面（无需登录）": "Public pages (no sign-in)",
    "文件": "File",
    "份申报表": "declarations",
    "示例": "Example",
}


def is_en() -> bool:
    """Return True when the active language is English."""
    return (translation.get_language() or "zh").lower().startswith("en")


def lang() -> str:
    """Return 'en' or 'zh' for the domain messages (JixiaoError.message)."""
    return "en" if is_en() else "zh"


def t(text: str) -> str:
    """Return ``text`` in the active language (English from :data:`EN`, else as written)."""
    if is_en():
        return EN.get(text, text)
    return text
