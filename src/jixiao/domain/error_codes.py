"""The error catalogue: every ``JX-E`` code jixiao raises, defined once.

Each entry names the :class:`~jixiao.domain.errors.JixiaoError` subclass that carries the code,
the HTTP status the API and the pages answer with, and what the code means in Chinese and English.
The message a user reads is written where the error is raised (it names the file, the cell, the
value); the catalogue says what the code is, for the documentation (``docs/errors.md``, made by
``jixiao errors --format markdown``) and for the adapters, which take the status from here and
never from the message text.

Codes are grouped by hundreds: 1xx input as a whole, 2xx target values, 3xx amounts and dates,
4xx file layouts (Excel, PDF, Word, web pages), 5xx the canonical JSON, 6xx scoring and monitoring,
7xx workflow, permissions and limits, 8xx operational records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from jixiao.domain.i18n import normalize_lang

__all__ = [
    "CATALOGUE",
    "DEFAULT_STATUS",
    "WARNINGS",
    "ErrorCode",
    "WarningCode",
    "catalogue_markdown",
    "http_status",
]

# The status of a code a client can cause by its input when nothing more specific applies.
DEFAULT_STATUS = 400


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One code of the catalogue: its class, its HTTP status and its meaning in both languages.

    ``kind`` is ``None`` for the few codes the web layer writes into a response itself (a refused
    sign-in, a request that does not match the API schema) rather than raising an exception.
    """

    code: str
    kind: str | None
    status: int
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        """Return the meaning in ``lang`` (each code keeps its own pair: the messages are per code)."""
        return self.en if normalize_lang(lang) == "en" else self.zh


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


_Entry = TypeVar("_Entry", bound=_Coded)


def _build(entries: Iterable[_Entry], taken: Iterable[str] = ()) -> dict[str, _Entry]:
    """Key ``entries`` by code, refusing a code given twice (or one of ``taken``, another table's)."""
    catalogue: dict[str, _Entry] = {}
    others = set(taken)
    for entry in entries:
        if entry.code in catalogue or entry.code in others:
            raise ValueError(f"code {entry.code} is defined twice")
        catalogue[entry.code] = entry
    return catalogue


def _e(code: str, kind: str | None, zh: str, en: str, status: int = DEFAULT_STATUS) -> ErrorCode:
    return ErrorCode(code, kind, status, zh, en)


# One line per code (kept so by fmt: off): code, class, meaning in Chinese and English, status.
# fmt: off
CATALOGUE: dict[str, ErrorCode] = _build(
    [
        _e("JX-E000", "JixiaoError", "jixiao 错误（未细分）", "a jixiao error (not further classified)"),
        # 1xx: the input as a whole
        _e("JX-E100", "InputError", "输入无法读取", "the input cannot be read"),
        _e("JX-E101", "InputError", "文件不存在或无法打开", "the file does not exist or cannot be opened"),
        _e("JX-E103", "InputError", "文本既不是 UTF-8 也不是 GBK/GB18030 编码", "the text is neither UTF-8 nor GBK/GB18030"),
        _e("JX-E104", "InputError", "文件超过读取上限", "the file is larger than the reading limit"),
        _e("JX-E105", "InputError", "输入中没有所需的表（申报表或自评表）", "the input holds no form of the kind needed"),
        _e("JX-E106", "InputError", "文本中没有自评表标题", "the text has no self-evaluation title"),
        _e("JX-E107", "InputError", "命令选项的组合不能使用（缺少输出文件或格式）", "the command's options do not go together (no output file or format)"),
        _e("JX-E108", "InputError", "无法写入输出文件", "the output file cannot be written"),
        _e("JX-E109", "InputError", "暂不支持读取该格式", "reading this format is not supported yet"),
        _e("JX-E110", "InputError", "没有选择要上传的文件", "no file was chosen for upload"),
        _e("JX-E120", "InputError", "未知的审核口径", "unknown review profile"),
        _e("JX-E121", "InputError", "审核配置文件有误", "the review configuration is invalid"),
        _e("JX-E123", "InputError", "二进制报告需要用 -o 指定输出文件", "a binary report needs an output file (-o)"),
        _e("JX-E150", "InputError", "此处只能导入申报表", "only declarations can be imported here"),
        _e("JX-E151", "InputError", "项目名称不能为空", "the project name is required"),
        _e("JX-E160", "InputError", "导出格式不可用", "the export format is not available"),
        _e("JX-E170", "InputError", "语料目录中没有可读取的表格文件", "the corpus folders hold no form file"),
        _e("JX-E171", "InputError", "无法连接 Dask 调度器", "the Dask scheduler cannot be reached"),
        _e("JX-E172", None, "读取该文件时 jixiao 内部出错（已记为失败，运行继续）", "jixiao failed internally on the file (recorded as a failure; the run goes on)"),
        _e("JX-E173", "InputError", "语料数据集不存在或不完整", "the corpus dataset is missing or incomplete"),
        # 2xx: target values (指标目标值)
        _e("JX-E200", "TargetError", "指标目标值无法识别", "the target value cannot be read"),
        _e("JX-E201", "TargetError", "指标目标值不是文本", "the target value is not text"),
        _e("JX-E202", "TargetError", "指标目标值为空", "the target value is empty"),
        _e("JX-E203", "TargetError", "指标目标值过长", "the target value is too long"),
        _e("JX-E204", "TargetError", "指标目标值中的数字无法识别", "the number in the target value is unreadable"),
        _e("JX-E205", "TargetError", "运算符后缺少数值", "an operator with no number after it"),
        _e("JX-E206", "TargetError", "运算符后不是「数值+单位」", "the operator is not followed by a number and a unit"),
        _e("JX-E207", "TargetError", "运算符重复", "the operator is repeated"),
        _e("JX-E208", "TargetError", "单位中含有运算符", "the unit contains an operator"),
        _e("JX-E209", "TargetError", "区间两端单位不一致", "the two ends of the range have different units"),
        _e("JX-E210", "TargetError", "区间下限大于上限", "the lower bound is above the upper bound"),
        _e("JX-E211", "TargetError", "日期不存在", "no such date"),
        _e("JX-E212", "TargetError", "既不是数值，也不是定性描述", "neither a number nor a qualitative description"),
        _e("JX-E213", "TargetError", "指标性质应为 ≥ ≤ = > < 或 定性", "the nature should be ≥ ≤ = > < or 定性"),
        # 3xx: amounts and dates
        _e("JX-E300", "MoneyError", "金额无法识别", "the amount cannot be read"),
        _e("JX-E301", "MoneyError", "金额超出上限", "the amount is beyond any budget"),
        _e("JX-E310", "DateError", "日期无法识别或不存在", "the date cannot be read or does not exist"),
        # 4xx: file layouts
        _e("JX-E400", "FormatError", "文件版式无法识别", "the file's layout cannot be followed"),
        _e("JX-E401", "FormatError", "表中缺少某一栏（被移动、删除或不是本系统的版式）", "a labelled cell is missing (moved, deleted, or not our layout)"),
        _e("JX-E402", "FormatError", "指标行缺少一级或二级指标", "an indicator row has no level-1 or level-2 name"),
        _e("JX-E403", "FormatError", "指标行缺少三级指标名称", "an indicator row has no indicator name"),
        _e("JX-E404", "FormatError", "三级指标缺少指标目标值", "an indicator has no target value"),
        _e("JX-E405", "FormatError", "项目名称为空", "the project name is empty"),
        _e("JX-E406", "FormatError", "找不到项目资金表头", "the budget header is missing"),
        _e("JX-E407", "FormatError", "同一项目的各行内容不一致", "the rows of one project disagree"),
        _e("JX-E411", "FormatError", "单元格中的金额或日期无法识别", "an amount or date in a cell cannot be read"),
        _e("JX-E412", "FormatError", "单元格中应为数字", "a cell should hold a number"),
        _e("JX-E413", "FormatError", "单元格中的日期无法识别", "a date in a cell cannot be read"),
        _e("JX-E414", "FormatError", "这是运行监控表，不是申报表或自评表", "this is a monitoring form, not a declaration or self-evaluation"),
        _e("JX-E420", "FormatError", "工作簿中没有已填写的表", "the workbook has no filled-in form"),
        _e("JX-E429", None, "登录失败次数过多，暂时锁定", "too many failed sign-ins: locked for a while", status=429),
        _e("JX-E430", "FormatError", "Excel 文件已损坏或无效", "the Excel file is damaged or invalid"),
        _e("JX-E431", "FormatError", "zip 压缩包不是 Excel 工作簿", "the zip archive is not an Excel workbook"),
        _e("JX-E432", "FormatError", "工作簿内部文件过多", "too many parts in the workbook"),
        _e("JX-E433", "FormatError", "工作簿解压后过大，可能是压缩炸弹", "the workbook inflates too much (a zip bomb?)"),
        _e("JX-E434", "FormatError", "工作表的使用区域过大", "the sheet's used area is too large"),
        _e("JX-E435", "FormatError", "工作表的合并单元格无效或过大", "the sheet's merged cells are invalid or too large"),
        _e("JX-E450", "FormatError", "PDF 文件已损坏", "the PDF is damaged"),
        _e("JX-E451", "FormatError", "PDF 文件不完整（被截断）", "the PDF is incomplete (cut off)"),
        _e("JX-E452", "FormatError", "PDF 字体没有 Unicode 映射，文字无法可靠识别", "the PDF's fonts have no Unicode map: the text cannot be read reliably"),
        _e("JX-E453", "FormatError", "PDF 已加密", "the PDF is encrypted"),
        _e("JX-E454", "FormatError", "PDF 页数过多", "the PDF has too many pages"),
        _e("JX-E455", "FormatError", "PDF 某页文字过多，不像表格", "a PDF page holds too much text for a form"),
        _e("JX-E456", "FormatError", "PDF 没有文字层（扫描件或图片；现改由文字识别读取，不再报此错）", "the PDF has no text layer (a scan or an image; such PDFs are now read by OCR and this is no longer raised)"),
        _e("JX-E457", "FormatError", "PDF 中没有申报表或自评表", "no declaration or self-evaluation in the PDF"),
        _e("JX-E458", "FormatError", "PDF 解压后过大，可能是压缩炸弹", "the PDF inflates too much (a decompression bomb?)"),
        _e("JX-E460", "FormatError", "找不到中文字体，无法生成 PDF", "no Chinese font: the PDF cannot be made"),
        _e("JX-E461", "FormatError", "没有可以输出的表", "there is no form to render"),
        _e("JX-E462", "FormatError", "PDF 排版失败", "PDF typesetting failed"),
        _e("JX-E470", "FormatError", "Word 文件已损坏或无效", "the Word file is damaged or invalid"),
        _e("JX-E471", "FormatError", "zip 压缩包不是 Word 文档", "the zip archive is not a Word document"),
        _e("JX-E472", "FormatError", "Word 文档内部文件过多", "too many parts in the Word document"),
        _e("JX-E473", "FormatError", "Word 文档解压后过大，可能是压缩炸弹", "the Word document inflates too much (a zip bomb?)"),
        _e("JX-E474", "FormatError", "Word 文档中的表格单元格过多", "too many table cells in the Word document"),
        _e("JX-E480", "FormatError", "网页无法解析或没有文字", "the web page cannot be parsed or holds no text"),
        _e("JX-E481", "FormatError", "网页中的表格单元格过多", "too many table cells in the web page"),
        _e("JX-E482", "FormatError", "网页表格的合并范围过大", "the web page's table merges too many cells"),
        _e("JX-E490", "FormatError", "扫描图像已损坏或格式不受支持", "the scanned image is damaged or in an unsupported format"),
        _e("JX-E491", "FormatError", "扫描图像像素过多", "the scanned image has too many pixels"),
        _e("JX-E492", "FormatError", "扫描件页数过多", "the scan has too many pages"),
        _e("JX-E493", "FormatError", "扫描件中没有识别出文字", "no text was recognised in the scan"),
        _e("JX-E494", "FormatError", "扫描件中没有申报表或自评表", "no declaration or self-evaluation in the scan"),
        # 5xx: the canonical JSON and the API contract
        _e("JX-E500", "ValidationError", "文档不符合规范 JSON", "the document breaks the canonical JSON contract"),
        _e("JX-E501", "ValidationError", "请求参数不符合接口定义", "the request does not match the API schema", status=422 ),
        # 6xx: scoring and monitoring
        _e("JX-E600", "ScoringError", "实际完成值无法计分", "the actual value cannot be scored"),
        _e("JX-E601", "ScoringError", "缺少实际完成值", "the actual value is missing"),
        _e("JX-E603", "ScoringError", "实际完成值与指标目标值类型不符", "the actual value does not match the kind of its target"),
        _e("JX-E604", "ScoringError", "实际完成值应为一个确定的数值", "the actual value should be one definite value"),
        _e("JX-E605", "ScoringError", "实际完成值的单位或计量周期与指标目标值不一致", "the actual value's unit or period differs from its target's"),
        _e("JX-E606", "ScoringError", "指标目标值无法识别，不能计分", "the target value is unreadable: it cannot be scored"),
        _e("JX-E607", "ScoringError", "定性指标的实际完成值不是评价等级", "a qualitative indicator's actual value is not a grade"),
        _e("JX-E608", "ScoringError", "定性指标需要在等级分档内给出得分", "a qualitative indicator needs a score within its grade's band"),
        _e("JX-E609", "ScoringError", "得分超出评价等级的分档", "the score is outside its grade's band"),
        _e("JX-E610", "ScoringError", "未知的地区计分规则", "unknown region rules"),
        _e("JX-E611", "ScoringError", "未知的定性评价等级", "unknown qualitative grade"),
        _e("JX-E612", "ScoringError", "绩效指标分值合计不正确", "the indicator weights do not add up"),
        _e("JX-E613", "ScoringError", "部分指标缺少分值", "some indicators have no weight"),
        _e("JX-E614", "ScoringError", "指标分值为负数", "an indicator has a negative weight"),
        _e("JX-E615", "ScoringError", "全年预算数缺失或不大于零", "the full-year budget is missing or not positive"),
        _e("JX-E616", "ScoringError", "全年执行数缺失或为负数", "the amount executed is missing or negative"),
        _e("JX-E617", "ScoringError", "自评表没有绩效指标", "the self-evaluation has no indicators"),
        _e("JX-E618", "ScoringError", "时限指标的实际完成值应为完成日期", "a deadline indicator's actual value should be a date"),
        _e("JX-E619", "ScoringError", "无法按默认比例分配分值", "the default weights cannot be applied"),
        _e("JX-E620", "ScoringError", "数值过大，无法计分", "the number is too large to score"),
        _e("JX-E621", "ScoringError", "计分选项有误", "a scoring option is wrong"),
        _e("JX-E624", "ScoringError", "相对指标缺少基准值（上年实际值）", "a relative target has no baseline (last year's actual)"),
        _e("JX-E622", "ScoringError", "基准值不是数值", "the baseline is not a number"),
        _e("JX-E623", "ScoringError", "相对指标的单位与基准值不一致", "a relative target's unit differs from its baseline's"),
        _e("JX-E630", "ScoringError", "监控截止月份应为 1–12", "the cut-off month must be 1–12"),
        _e("JX-E631", "ScoringError", "完成目标可能性无效", "the likelihood of meeting the target is invalid" ),
        _e("JX-E632", "ScoringError", "偏差原因不在可选类别中", "a deviation reason is not one of the categories"),
        _e("JX-E633", "ScoringError", "须填写全年预计完成情况和偏差原因", "the year's forecast and the deviation reasons are required"),
        _e("JX-E634", "ScoringError", "选择了「其他」原因但未说明", "reason 其他 without its explanation"),
        _e("JX-E635", "ScoringError", "无法计算预算执行进度", "the budget progress cannot be computed"),
        _e("JX-E640", "InputError", "评价结果应用：年度应为四位数字的年份", "results applied: the year must be a four-digit year"),
        # 65x: department-wide targets and self-evaluation (部门整体支出绩效)
        _e("JX-E650", "ValidationError", "部门整体绩效表不符合规范 JSON", "the department form breaks the canonical JSON contract"),
        _e("JX-E651", "ScoringError", "部门整体汇总分值无效（须为非负数且合计 100）", "the department roll-up weights are invalid (non-negative, 100 in all)"),
        _e("JX-E652", "ScoringError", "部门当年没有可汇总的项目自评", "the department has no project self-evaluation to roll up for the year"),
        _e("JX-E653", "InputError", "文件中没有部门整体支出绩效目标表或自评表", "the file holds no department-wide target or self-evaluation form"),
        _e("JX-E654", "InputError", "部门整体绩效目标只能由主管部门申报", "only a department declares department-wide targets"),
        _e("JX-E655", "InputError", "该部门当年已有整体绩效目标", "the department already has department-wide targets for the year", status=409),
        _e("JX-E656", "InputError", "部门整体绩效表缺少预算年度", "the department form has no budget year"),
        _e("JX-E657", "InputError", "表上的部门不是您申报的部门", "the form names another department than the one it is filed for", status=409),
        # 7xx: workflow, permissions and limits
        _e("JX-E700", "WorkflowError", "流程操作不允许", "the workflow step is not allowed", status=409),
        _e("JX-E701", "WorkflowError", "审核等级无效", "invalid review grade"),
        _e("JX-E702", "WorkflowError", "未知的流程操作", "unknown workflow step"),
        _e("JX-E703", "WorkflowError", "当前状态下不能执行此操作", "the step is not possible in the current state", status=409),
        _e("JX-E704", "WorkflowError", "等级为中或差时必须填写审核意见", "a 中 or 差 grade needs a comment"),
        _e("JX-E705", "WorkflowError", "退回时必须说明原因", "sending back needs a reason"),
        _e("JX-E706", "WorkflowError", "文档尚不完整，不能执行此操作", "the document is not complete enough for the step", status=409),
        _e("JX-E708", "WorkflowError", "此操作需要确认", "the step needs a confirmation", status=409),
        _e("JX-E710", "NotAllowed", "您的角色或权限范围不允许此操作", "your role or scope does not allow this", status=403),
        _e("JX-E711", None, "需要登录或有效的 API 令牌", "sign in or send a valid API token", status=401),
        _e("JX-E712", None, "用户名或密码错误", "wrong user name or password", status=401),
        _e("JX-E713", None, "长时间未操作，已自动退出，请重新登录", "signed out after a time without activity: sign in again", status=401),
        _e("JX-E720", "NotFound", "对象不存在或不在您的权限范围内", "no such object in your scope", status=404),
        _e("JX-E730", "ConflictError", "保存冲突：他人已修改", "save conflict: someone else saved first", status=409),
        _e("JX-E740", "UploadTooLarge", "上传或请求体过大", "the upload or request body is too large", status=413),
        _e("JX-E750", "ValidationError", "指标过多", "too many indicators"),
        _e("JX-E751", "ValidationError", "文本过长", "a text is too long"),
        _e("JX-E752", "ValidationError", "年度超出范围", "the year is out of range"),
        _e("JX-E753", "ValidationError", "文档过多", "too many documents at once"),
        _e("JX-E760", "ServerBusy", "服务器繁忙，请稍后再试", "the server is busy: try again later", status=503),
        _e("JX-E770", "InputError", "调整绩效目标须说明原因", "a target adjustment needs its reason"),
        _e("JX-E771", "InputError", "调整申请没有改变任何目标值或资金", "the adjustment changes no target and no amount", status=409),
        _e("JX-E772", "InputError", "调整后的目标值或资金无效", "an adjusted target or amount is invalid"),
        _e("JX-E773", "WorkflowError", "此申报表不能申请调整绩效目标", "this declaration cannot take a target adjustment now", status=409),
        _e("JX-E780", "WorkflowError", "须先完成事前绩效评估才能提交", "the ex-ante assessment must be complete before submitting", status=409),
        _e("JX-E781", "InputError", "事前绩效评估表的内容无效", "the ex-ante assessment sheet is invalid"),
        _e("JX-E790", None, "生产环境未设置密钥，服务器拒绝启动", "no secret key outside DEBUG: the server refuses to start", status=500),
        _e("JX-E791", None, "数据库中已有非演示数据，演示不写入", "the database holds data that is not the demo's: the demo writes nothing", status=500),
        _e("JX-E795", "InputError", "后台任务没有可处理的对象", "the job has nothing to work on"),
        _e("JX-E796", "InputError", "未知的后台任务类型或导出格式，或所需组件未安装", "unknown job kind or export format, or what it needs is not installed"),
        _e("JX-E797", "ValidationError", "一次后台任务处理的对象过多", "too many items for one job"),
        _e("JX-E798", "InputError", "后台任务的所有者账户不存在（命令行启动的任务）", "no account to own the job (a job started from the command line)"),
        # 8xx: operational records
        _e("JX-E800", "RecordFileError", "记录文件无法读取", "the record file cannot be read"),
        _e("JX-E801", "RecordFileError", "必填字段没有对应的列", "a required field has no column"),
        _e("JX-E802", "RecordFileError", "字段与列的对应关系有误", "the field-to-column mapping is wrong"),
        _e("JX-E803", "RowsRejected", "记录行未通过校验，整个文件未导入", "rows failed validation: nothing of the file was imported"),
        _e("JX-E810", "BindingError", "指标取数规则有误", "the indicator binding is invalid"),
        _e("JX-E820", "ValidationError", "截止月份超出 1–12、该单位没有记录或指标没有计算值", "the cut-off month is outside 1–12, the unit has no records or the indicator no computed value"),
        _e("JX-E821", "ValidationError", "人工改值需要填写采用值和理由", "an override needs the value to use and a reason"),
    ]
)
# fmt: on


@dataclass(frozen=True, slots=True)
class WarningCode:
    """One ``JX-W`` code: a reading or a monitoring result that stands but needs a person's check.

    A warning never stops the work (the form is read, the report is computed); it says what the
    reader or the monitor was unsure of, so that nothing doubtful passes silently. ``area`` says
    who issues it: ``reader`` (the form readers) or ``monitoring`` (运行监控).
    """

    code: str
    area: str
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        """Return the meaning in ``lang``."""
        return self.en if normalize_lang(lang) == "en" else self.zh


def _w(code: str, area: str, zh: str, en: str) -> WarningCode:
    return WarningCode(code, area, zh, en)


# The warnings, grouped by the same hundreds as the errors: 1xx what a form holds, 4xx scans,
# 6xx self-evaluation forms and monitoring.
# fmt: off
WARNINGS: dict[str, WarningCode] = _build(
    [
        _w("JX-W000", "reader", "警告（代码未记录，来自外部规范 JSON）", "a warning whose code was not recorded (from outside canonical JSON)"),
        _w("JX-W101", "reader", "未找到项目名称或项目名称为空", "the project name is missing or empty"),
        _w("JX-W103", "reader", "金额无法读取，未采用", "an amount could not be read and was left out"),
        _w("JX-W104", "reader", "日期无法读取，未采用", "a date could not be read and was left out"),
        _w("JX-W105", "reader", "三级指标没有指标值", "an indicator has no target value"),
        _w("JX-W106", "reader", "指标值前没有三级指标名称", "a target value has no indicator name"),
        _w("JX-W107", "reader", "指标缺少一级或二级指标", "an indicator has no level-1 or level-2 category"),
        _w("JX-W108", "reader", "未找到绩效指标表或表中没有指标", "no indicator table, or no indicator in it"),
        _w("JX-W109", "reader", "未找到项目目标（总目标/年度目标）", "the project goals were not found"),
        _w("JX-W111", "reader", "未找到预算年度", "the budget year was not found"),
        _w("JX-W112", "reader", "应为数字的栏目不是数字，未读取", "a value that should be a number is not one; not read"),
        _w("JX-W113", "reader", "表头栏目内容过长，可能混入表格其他部分", "a header value is so long it may hold other parts of the form"),
        _w("JX-W114", "reader", "金额未注明单位且数额小，已按元读取，可能是万元", "a small amount with no unit printed was read as 元; it may be 万元"),
        _w("JX-W115", "reader", "表头栏目的内容里有表格其他栏目的名称，可能混入了表格其他部分", "a header value holds the names of other parts of the form; it may have run into them"),
        _w("JX-W120", "reader", "几个数字连在一起，无法可靠拆分，未读取", "several numbers run together; not read"),
        _w("JX-W121", "reader", "资金各栏连在一行，归属无法确定", "the funds columns run together; which column each belongs to is unsure"),
        _w("JX-W122", "reader", "指标性质或指标值可疑（「≥」可能被提取为「2」）", "an indicator's sign or target looks wrong ('≥' may have been extracted as '2')"),
        _w("JX-W131", "reader", "并排的两组指标列只读取了一组", "of two side-by-side sets of indicator columns only one was read"),
        _w("JX-W132", "reader", "跨页的指标行已接续", "an indicator row cut by a page break was joined"),
        _w("JX-W140", "reader", "各目标文字连在一行，无法分清", "the goal texts run together and cannot be told apart"),
        _w("JX-W490", "reader", "扫描件识别置信度低", "a scanned cell was recognised with low confidence"),
        _w("JX-W491", "reader", "扫描件识别结果已按规则更正", "a scanned value was corrected by a rule"),
        _w("JX-W601", "monitoring", "预算执行进度落后于时间进度（预警灯）", "budget execution lags the time-proportional plan (a warning light)"),
        _w("JX-W602", "monitoring", "指标完成目标的可能性低（预警灯）", "an indicator is unlikely to meet its target (a warning light)"),
        _w("JX-W603", "reader", "自评表未找到资金表头或「年度资金总额」一行", "the self-evaluation's budget header or its annual total row is missing"),
        _w("JX-W604", "reader", "年度资金总额缺少全年执行数", "the annual total row has no amount executed"),
        _w("JX-W609", "reader", "自评表的指标没有印出得分", "a self-evaluation indicator has no printed score"),
        _w("JX-W610", "reader", "自评表中有不完整的指标行", "a self-evaluation indicator row is incomplete"),
        _w("JX-W611", "reader", "自评表未找到总分", "the self-evaluation's total score was not found"),
    ],
    taken=CATALOGUE,
)
# fmt: on


def http_status(code: str) -> int:
    """Return the HTTP status for an error ``code`` (:data:`DEFAULT_STATUS` for an unknown one)."""
    entry = CATALOGUE.get(code)
    return entry.status if entry is not None else DEFAULT_STATUS


def catalogue_markdown() -> str:
    """Return the catalogue as the Markdown page ``docs/errors.md``."""
    lines = [
        "# 错误代码 / Error codes",
        "",
        "Generated by `jixiao errors --format markdown > docs/errors.md` from",
        "`src/jixiao/domain/error_codes.py`; a test fails when this page is out of date.",
        "",
        "每个错误代码只定义一次：类别（异常类）、HTTP 状态和中英文含义。用户看到的消息在出错处写明",
        "具体的文件、单元格和数值。/ Every code is defined once: its class, its HTTP status and what it",
        "means; the message a user reads is written where the error is raised and names the file, cell",
        "and value.",
        "",
        "| 代码 / code | 类别 / class | HTTP | 含义 | meaning |",
        "|---|---|---|---|---|",
    ]
    for entry in sorted(CATALOGUE.values(), key=lambda e: e.code):
        lines.append(f"| {entry.code} | {entry.kind or '—'} | {entry.status} | {entry.zh} | {entry.en} |")
    lines += [
        "",
        "## 警告代码 / Warning codes",
        "",
        "警告不中断读取或计算：结果照常给出，并说明哪里需要人工核对。/ A warning stops nothing: the",
        "result stands, and the warning says what a person should check.",
        "",
        "| 代码 / code | 来源 / area | 含义 | meaning |",
        "|---|---|---|---|",
    ]
    for warning in sorted(WARNINGS.values(), key=lambda w: w.code):
        lines.append(f"| {warning.code} | {warning.area} | {warning.zh} | {warning.en} |")
    return "\n".join(lines) + "\n"
