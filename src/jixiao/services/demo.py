"""Demo data: the organisation tree, one user per role, the seven seed forms and a few drafts.

The seed (``jixiao/data/demo/seed-2022-qingpu.txt``) holds seven real 2022 declarations of
上海市青浦区城市运行管理中心; they are loaded as approved and published, with their review.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from importlib import resources

from django.db import transaction

from jixiao.db.accounts.models import Organisation, Role, User
from jixiao.db.declarations.models import Declaration, Status, Transition
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.domain.vocabulary import GOOD
from jixiao.formats import read_bytes
from jixiao.services.declarations import create_declaration, only_declarations
from jixiao.services.review import review_objects

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "load_demo",
    "load_evaluation_demo",
    "not_demo_data",
    "seed_documents",
]

BUREAU = "青浦区财政局"
DEPARTMENT = "上海市青浦区城市运行管理中心"
UNIT = "上海市青浦区城市运行管理中心（本级）"
OTHER_DEPARTMENT = "上海市青浦区绿化和市容管理局"
OTHER_UNIT = "上海市青浦区环境卫生管理所"

DEMO_PASSWORD = "jixiao-demo-2022"
# username, display name, role, organisation
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("filler", "张填报", Role.FILLER, UNIT),
    ("unithead", "李单位", Role.UNIT_HEAD, UNIT),
    ("deptreviewer", "王主管", Role.DEPT_REVIEWER, DEPARTMENT),
    ("finance", "赵绩效", Role.FINANCE_REVIEWER, BUREAU),
    ("admin", "系统管理员", Role.ADMIN, BUREAU),
    ("filler2", "陈环卫", Role.FILLER, OTHER_UNIT),
)


def seed_documents() -> list[DomainDeclaration]:
    """Return the seven seed declarations packaged with jixiao."""
    data = resources.files("jixiao.data").joinpath("demo/seed-2022-qingpu.txt").read_bytes()
    return only_declarations(read_bytes(data, "seed-2022-qingpu.txt"))


DEMO_ORGANISATIONS = (BUREAU, DEPARTMENT, UNIT, OTHER_DEPARTMENT, OTHER_UNIT)


def not_demo_data() -> str | None:
    """Return what in the database is not the demo's own (None for an empty or demo-only database).

    The demo writes made-up users with a published password, made-up self-evaluations and
    monitoring reports: none of it may land in a database that holds a bureau's real records.
    """
    demo_users = [u[0] for u in DEMO_USERS]
    user = User.objects.exclude(username__in=demo_users).order_by("pk").first()
    if user is not None:
        return f"用户 {user.username}"
    org = Organisation.objects.exclude(name__in=DEMO_ORGANISATIONS).order_by("pk").first()
    if org is not None:
        return f"组织 {org.name}"
    return None


def _org(name: str, kind: str, parent: Organisation | None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "parent": parent})
    return org


def load_demo(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create the demo organisations, users and declarations (idempotent for the tree and users)."""
    with transaction.atomic():
        bureau = _org(BUREAU, Organisation.Kind.BUREAU, None)
        dept = _org(DEPARTMENT, Organisation.Kind.DEPARTMENT, bureau)
        unit = _org(UNIT, Organisation.Kind.UNIT, dept)
        other_dept = _org(OTHER_DEPARTMENT, Organisation.Kind.DEPARTMENT, bureau)
        _org(OTHER_UNIT, Organisation.Kind.UNIT, other_dept)
        orgs = {o.name: o for o in Organisation.objects.all()}
        users: dict[str, User] = {}
        for username, display, role, org_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    display_name=display,
                    role=role,
                    organisation=orgs[org_name],
                    is_staff=role == Role.ADMIN,
                    is_superuser=role == Role.ADMIN,
                )
                user.set_password(password)
                user.save()
            users[username] = user
        from jixiao.services.records_demo import load_records_demo

        load_records_demo(users["filler"], unit)  # a synthetic district slice (idempotent)
        if Declaration.objects.exists():
            return users
        docs = seed_documents()
        published = [create_declaration(users["filler"], doc, unit) for doc in docs]
        review_objects(published)
        steps = [
            ("submit", Status.DRAFT, Status.DEPT_REVIEW, "", "unithead", "单位审核通过，报送主管部门"),
            (
                "dept_review",
                Status.DEPT_REVIEW,
                Status.FINANCE_REVIEW,
                GOOD,
                "deptreviewer",
                "同意报送；部分效益指标只有方向（提升、提高），请补充基数和幅度",
            ),
            (
                "finance_review",
                Status.FINANCE_REVIEW,
                Status.APPROVED,
                GOOD,
                "finance",
                "同意批复（良：审核意见已与单位沟通完善）",
            ),
            ("publish", Status.APPROVED, Status.PUBLISHED, "", "finance", "随部门预算公开"),
        ]
        for obj in published:
            for action, before, after, grade, who, comment in steps:
                Transition.objects.create(
                    declaration=obj,
                    action=action,
                    from_status=before,
                    to_status=after,
                    grade=grade,
                    comment=comment,
                    actor=users[who],
                    actor_role=users[who].role,
                )
            obj.status, obj.grade = Status.PUBLISHED, GOOD
            obj._history_user = users["finance"]  # type: ignore[attr-defined]
            obj.save()
        _adjust_mid_year(users, published)
        # A few 2023 drafts to play with: two seed projects carried forward, one with a target to fix.
        for n, doc in enumerate(docs[:2]):
            draft = dataclasses.replace(doc, year=2023, warnings=[])
            draft.project = dataclasses.replace(
                doc.project, start_date=date(2023, 1, 1), end_date=date(2023, 12, 31)
            )
            if n == 1 and draft.indicators:
                from jixiao.domain.targets import try_parse_target

                first = draft.indicators[0]
                draft.indicators = [
                    dataclasses.replace(first, target=try_parse_target(">=")),
                    *draft.indicators[1:],
                ]
            create_declaration(users["filler"], draft, unit)
        other = dataclasses.replace(docs[3], year=2023, warnings=[])
        other.project = dataclasses.replace(
            other.project, name="市容环境宣传费", implementing_unit=OTHER_UNIT
        )
        create_declaration(users["filler2"], other, orgs[OTHER_UNIT])
        _new_project_with_exante(users, unit)
        review_objects(list(Declaration.objects.filter(status=Status.DRAFT)))
        from jixiao.services.library import build_library

        build_library()
    return users


def load_evaluation_demo(admin: User) -> None:
    """Add the evaluation app's demo self-evaluations and monitoring reports, when it is installed,
    and the seed centre's department-wide targets with their roll-up self-evaluation."""
    try:
        from jixiao.services.evaluation_demo import load_evaluation_demo as load
    except ImportError:
        return
    load(admin)
    # The centre's department-wide targets and their roll-up of the seven projects (idempotent).
    from jixiao.services.departments_demo import load_department_demo

    load_department_demo()


# The seed project adjusted mid-year: its budget cut in July 2022 and 信息员数量 with it
# (绩效目标调整, domain-rules.md §3.2, §4). Made up, like the demo's self-evaluations.
ADJUSTED_PROJECT = "区城运中心城运平台等辅助服务"
ADJUSTED_ON = date(2022, 7, 15)


def _adjust_mid_year(users: dict[str, User], published: list[Declaration]) -> None:
    """Propose, review and approve one target adjustment of a published seed declaration."""
    from jixiao.services import adjustments

    obj = next((o for o in published if o.project_name == ADJUSTED_PROJECT), None)
    if obj is None:
        return
    position = next(
        (n for n, i in enumerate(obj.document.get("indicators") or []) if i.get("name") == "信息员数量"), None
    )
    if position is None:
        return
    adj = adjustments.propose(
        users["filler"],
        obj.pk,
        targets={position: "30人"},
        annual="3,000,000",
        reason="年中预算调整（区财政批复调减 350,600 元）：信息员由 35 人调减为 30 人，其余目标不变",
    )
    steps = [
        ("submit", "unithead", "", "随年中预算调整报送"),
        ("dept_review", "deptreviewer", GOOD, "同意调整，调减幅度与预算调整一致"),
        ("finance_review", "finance", GOOD, "同意调整"),
    ]
    for action, who, grade, comment in steps:
        adjustments.adjustment_transition(
            users[who], adj.pk, action, grade=grade, comment=comment, on=ADJUSTED_ON
        )


# A new 2023 project above the region's 事前绩效评估 amount (5,000,000 元 by default): its sheet is
# filled in except 筹资合规性 (the unit still waits for the co-funding letter), so submitting it is
# refused until the four items are rated. Made up.
NEW_PROJECT = "青浦区城市运行智能感知设备新建项目"


def _new_project_with_exante(users: dict[str, User], unit: Organisation) -> None:
    """Create the new project's draft and its partly filled ex-ante sheet."""
    from decimal import Decimal

    from jixiao.domain.model import Funding, Goals, Indicator, Project
    from jixiao.domain.targets import try_parse_target
    from jixiao.evaluation.exante import ITEMS, Rating
    from jixiao.services.exante import save_sheet

    rows = [
        ("产出指标", "数量指标", "新建感知设备数量", ">=1200个"),
        ("产出指标", "质量指标", "设备验收合格率", "=100%"),
        ("产出指标", "时效指标", "设备安装完成时间", "2023年10月底前"),
        ("产出指标", "成本指标", "单个设备综合成本", "<=5000元"),
        ("效益指标", "社会效益指标", "城市运行风险发现时间", "较上年缩短20%"),
        ("满意度指标", "服务对象满意度指标", "街镇使用满意度", ">=90%"),
    ]
    amount = Decimal("6500000")
    doc = DomainDeclaration(
        year=2023,
        project=Project(
            name=NEW_PROJECT,
            category="一次性项目",
            competent_department=DEPARTMENT,
            implementing_unit=UNIT,
            start_date=date(2023, 1, 1),
            end_date=date(2023, 12, 31),
        ),
        funding=Funding(total=amount, total_fiscal=amount, annual=amount, annual_appropriation=amount),
        goals=Goals(
            overall="在全区重点区域新建城市运行智能感知设备，提升城市运行风险的主动发现能力。",
            annual="年内新建感知设备不少于1200个并全部验收合格，风险发现时间较上年缩短20%。",
        ),
        indicators=[Indicator(a, b, c, try_parse_target(d)) for a, b, c, d in rows],
    )
    obj = create_declaration(users["filler"], doc, unit)
    grades = ["优", "优", "良", "优", "良", "良", "中", "良", "优", "优", "良", "优", "良", "优", "良", "中"]
    notes = {0: "符合“一网统管”建设要求", 6: "单价测算依据为两家询价，建议补充第三方询价"}
    ratings = {
        item.key: Rating(grade, notes.get(n, ""))
        for n, (item, grade) in enumerate(zip(ITEMS, grades, strict=False))
    }
    save_sheet(users["filler"], obj, ratings, "前四部分已评估；筹资合规性待区级配套资金文件到位后评价")
