"""The county plan as data: the default self-check items (one or more for every problem
the plan names under its six focus areas, mapped to the monitoring rules of DOMAIN.md so
CAMP-01 can compare answers with alerts), the phases and the texts of the campaign.

`create_campaign_from_plan` builds the plan's campaign. Contact people are not here:
they are configured per campaign (CampaignContact)."""

from datetime import date, timedelta

from django.db import transaction

from jiandu.audit.log import log

TITLE = "破执法梗阻·优法治服务"
TEMPLATE_TITLE = "“破执法梗阻·优法治服务”专项问题自查表"

DESCRIPTION = (
    "聚焦行政执法领域特别是推进法治政府建设中的不讲法治、不守秩序问题，着力纠治在行政执法过程中"
    "落实“无事不扰”要求不到位，吃拿卡要、“雁过拔毛”，重复性执法、选择性执法、私利性执法，"
    "类案不同罚，滥用自由裁量权办关系案、人情案干扰市场秩序等问题，推进严格规范公正文明执法，"
    "为奋力打造高质量发展建设共同富裕示范区26县标杆提供坚强的法治保障。"
)

PUBLIC_NOTICE = (
    "县司法局在全县范围内开展“破执法梗阻·优法治服务”专项行动，设立行政执法举报曝光平台。"
    "企业和群众发现行政执法中重复检查、选择性执法、类案不同罚、小过重罚、吃拿卡要等问题，"
    "可通过本平台举报，凭查询码跟踪办理结果。"
)

INSTRUCTIONS = (
    "各乡镇、各有关部门明确专人负责，对照整治内容逐项自查：无此问题的选择“无此问题”；"
    "存在问题的选择“存在问题”，并填写问题描述、原因分析、整改措施、整改时限和责任人，"
    "可上传相关佐证材料。填报员提请单位负责人签发后，由负责人签发上报县司法局行政执法监督与应诉科。"
)

# The plan's own dates; other campaigns keep the same offsets from their start.
PLAN_START = date(2024, 3, 1)
PHASES = [
    (
        "self_check",
        date(2024, 3, 1),
        date(2024, 3, 28),
        "各乡镇、各有关部门对照专项方案要求，明确专人负责，针对“执法中梗阻”涉及的整治内容进行"
        "全面梳理，认真填报《“破执法梗阻·优法治服务”专项问题自查表》，报送县司法局行政执法监督"
        "与应诉科备案。",
    ),
    (
        "supervision",
        date(2024, 4, 1),
        date(2024, 7, 31),
        "县司法局协同县纪委监委开展联合监督检查，抽调相关部门专业人员组成检查小组，开展覆盖"
        "行政执法“1+8”领域专项监督，对行政执法工作做一次全面“体检”。",
    ),
    (
        "rectification",
        date(2024, 8, 1),
        date(2024, 9, 30),
        "各行政执法单位对照自查发现和抽检提出的问题逐项建立整改台账，制定整改措施，明确完成时限，"
        "切实推动整改。县司法局定期协同县纪委监委对发现的问题进行分析研判，督促相关部门完成整改。",
    ),
    (
        "acceptance",
        date(2024, 10, 1),
        date(2024, 11, 30),
        "县司法局对各行政执法单位整改落实情况进行检查验收，总结专项行动工作成效，及时推广好的"
        "经验做法，确保专项行动取得实效。",
    ),
]

# key, focus area code, 自查事项, 自查要点, rule ids
ITEMS = [
    # (一) 裁量基准
    (
        "disc_benchmark_incomplete",
        "discretion",
        "行政处罚裁量权基准不完善，未依据法律、行政法规和规章制定或及时修订本单位裁量基准，或未向社会公布。",
        "查看本单位适用的违法行为事项是否均有现行有效的裁量基准；法律法规修订后是否及时调整；基准是否已公开。",
        "DISC-05",
    ),
    (
        "disc_range_too_wide",
        "discretion",
        "裁量空间过大，裁量阶次划分不细，罚款幅度上下限差距过大。",
        "抽查常用事项的裁量阶次，罚款上下限倍数是否超过 10 倍，各阶次适用条件是否明确具体。",
        "DISC-05",
    ),
    (
        "disc_arbitrary",
        "discretion",
        "作出行政处罚时未综合考虑违法行为的事实、性质、情节、危害后果及主观过错等因素，执法随意性较大。",
        "抽查已办结案卷，处罚决定是否载明裁量理由；罚款是否在所适用阶次范围内；是否存在无从重情节顶格处罚。",
        "DISC-02,DISC-04",
    ),
    (
        "disc_similar_cases",
        "discretion",
        "执法不公、类案不同罚，同一违法行为、相近情节的案件处罚结果明显不一致。",
        "按违法行为事项和裁量阶次比对同类案件的罚款金额，查找明显偏离的案件并说明理由。",
        "DISC-01",
    ),
    (
        "disc_rigid",
        "discretion",
        "执法僵化、机械执法，存在应当从轻或减轻处罚而未从轻、减轻的情况。",
        "核查当事人主动消除或减轻危害后果、受胁迫诱骗、配合查处等法定从轻减轻情节是否依法适用。",
        "DISC-03",
    ),
    (
        "disc_abuse",
        "discretion",
        "滥用自由裁量权办关系案、人情案，存在选择性执法、私利性执法、吃拿卡要、“雁过拔毛”等问题。",
        "结合举报投诉、信访件和案件撤销、变更情况，排查同案不同处、应立未立、违规减免处罚等情形。",
        "DISC-01,DISC-04",
    ),
    # (二) 执法程序
    (
        "proc_three_systems",
        "procedure",
        "行政执法公示、执法全过程记录、重大执法决定法制审核三项制度落实不到位。",
        "查看三项制度配套制度是否健全、执行是否到位，有无制度建立但未执行的情况。",
        "PROC-03,PROC-04,PROC-08",
    ),
    (
        "proc_publicity",
        "procedure",
        "执法信息公示不及时、不完整，不能充分保障行政相对人和社会公众知情权、参与权、表达权、监督权。",
        "执法主体、人员、职责、依据、程序、结果等信息是否公示；行政处罚决定是否在 7 个工作日内公开；"
        "是否依法履行事先告知、陈述申辩、听证告知程序。",
        "PROC-03,PROC-05",
    ),
    (
        "proc_records",
        "procedure",
        "文字、音像等执法记录形式不完整，现场检查、调查取证等环节缺少必要的音像记录。",
        "抽查案卷的询问笔录、现场检查笔录等文字记录是否齐全；重大案件及现场执法是否有音像记录。",
        "PROC-08",
    ),
    (
        "proc_full_process",
        "procedure",
        "行政执法的启动、调查取证、审核决定、送达执行等环节没有全过程记录，可回溯管理不到位。",
        "核对案件立案、告知、决定、送达、执行各环节日期与文书是否齐全，送达是否在 7 日内完成。",
        "PROC-02,PROC-08",
    ),
    (
        "proc_archiving",
        "procedure",
        "执法案卷归档保存不完整，办结案件未及时立卷归档。",
        "抽查已办结案件是否按规定立卷归档，卷内文书、证据材料及音像资料是否完整。",
        "PROC-08",
    ),
    (
        "proc_legal_review",
        "procedure",
        "重大执法决定法制审核程序缺失，应当集体讨论的未经集体讨论决定。",
        "吊销许可证件、责令停产停业、较大数额罚款等重大执法决定是否在作出前经法制审核和集体讨论。",
        "PROC-04,PROC-06",
    ),
    (
        "proc_illegal_risk",
        "procedure",
        "存在执法程序违法风险，如超期办案、执法人员不足两人或无证执法。",
        "核查办案期限（立案之日起 90 日）及延期审批情况；执法人员是否不少于两人且持有效执法证件。",
        "PROC-01,PROC-07",
    ),
    # (三) 新型监管 / 涉企检查
    (
        "insp_one_visit",
        "inspection",
        "未严格落实“进一次门、查多项事”综合查一次原则，同一企业多个检查事项分次进门。",
        "梳理本单位对同一企业的检查事项，能合并的是否合并为一次检查。",
        "INSP-02,INSP-03",
    ),
    (
        "insp_joint",
        "inspection",
        "联合检查工作机制不完善，多部门对同一企业未同步开展联合检查。",
        "核查 30 日内与其他部门先后检查同一企业的情况，是否纳入联合检查计划。",
        "INSP-02",
    ),
    (
        "insp_random",
        "inspection",
        "“双随机、一公开”监管机制不完善，检查对象、执法人员未随机抽取或抽查结果未及时公开。",
        "抽查对象和执法人员是否随机抽取并回避；抽查结果是否在检查结束后 20 个工作日内公示。",
        "INSP-07",
    ),
    (
        "insp_off_site",
        "inspection",
        "非现场执法等工作机制未建立，可通过非现场方式监管的仍进行现场检查，落实“无事不扰”不到位。",
        "是否运用在线监测、远程视频等非现场监管手段；“无事不扰”清单内企业是否仍被日常或专项现场检查。",
        "INSP-05",
    ),
    (
        "insp_repeat",
        "inspection",
        "存在单部门重复检查问题，短期内对同一企业多次进行同类检查。",
        "核查 30 日内本单位对同一企业的再次现场检查（投诉举报核查、整改复查除外）。",
        "INSP-03",
    ),
    (
        "insp_frequency",
        "inspection",
        "涉企检查频次过高，超过年度对同一企业现场检查次数上限。",
        "统计本年度本单位对每家企业的日常、专项及双随机现场检查次数是否超过上限（默认 2 次）。",
        "INSP-01",
    ),
    (
        "insp_registration",
        "inspection",
        "未严格执行涉企执法检查登记备案要求，检查前未登记备案或事后补登。",
        "对照《关于做好涉企执法检查登记备案工作的通知》（平纪办〔2018〕11号），核查检查是否事前登记备案、亮码检查。",
        "INSP-04,INSP-06",
    ),
    # (四) 大综合一体化
    (
        "intg_reform",
        "integration",
        "“大综合一体化”行政执法改革推进不力，与相关业务主管部门履职边界、职责分工不明确。",
        "划转事项清单是否明确，与业务主管部门是否签订协作协议、明确监管与执法的职责边界。",
        "",
    ),
    (
        "intg_complaints",
        "integration",
        "未建立举报投诉处理协作机制，举报投诉在部门间推诿扯皮。",
        "核查举报投诉在单位之间多次转办的情况，是否有首接负责、限时转办机制。",
        "INTG-03",
    ),
    (
        "intg_transfer",
        "integration",
        "案件移送协作机制不健全，移送的案件未及时接收、处理。",
        "核查案件移送、接收台账，移送案件是否在 5 个工作日内接收并反馈处理结果。",
        "INTG-01",
    ),
    (
        "intg_info_sharing",
        "integration",
        "信息资源共享机制未建立，执法信息、监管信息未与相关部门互通共享。",
        "是否通过执法监管平台与业务主管部门共享许可、检查、处罚等信息。",
        "",
    ),
    (
        "intg_transferred_matters",
        "integration",
        "涉及划转行政处罚事项的举报、投诉，没有及时受理、作出相应处理。",
        "核查划转事项举报投诉是否在 7 个工作日内受理、15 个工作日内办结或告知。",
        "INTG-02",
    ),
    # (五) 包容审慎
    (
        "leni_system",
        "leniency",
        "未建立包容审慎监管制度，执法方式单一，以罚代管。",
        "是否制定包容审慎监管制度；是否运用行政指导、行政提示、约谈告诫等柔性执法方式。",
        "",
    ),
    (
        "leni_lists",
        "leniency",
        "未公布或未落实“轻微不罚”“首违免罚”清单，符合清单条件的仍予以处罚。",
        "清单是否已公布；抽查清单事项案件，符合不罚条件的是否依法不予处罚并进行教育。",
        "LENI-01",
    ),
    (
        "leni_disproportionate",
        "leniency",
        "存在过罚不当、“小过重罚”问题，违法情节轻微、危害后果较小却从重或顶格处罚。",
        "核查危害后果轻微且及时改正的案件是否适用从重阶次或在阶次高段处罚。",
        "LENI-02,DISC-04",
    ),
    (
        "leni_education",
        "leniency",
        "处罚与教育相结合、有温度执法、合规监管理念尚未完全融入行政执法工作。",
        "不予处罚案件是否对当事人进行教育；是否开展普法宣传、合规指导。",
        "LENI-01",
    ),
    # (六) 增值服务
    (
        "serv_coverage",
        "service",
        "行政执法“1+8”领域增值化执法服务未全覆盖，未充分发挥行政执法服务、引导、规范、治理作用。",
        "本单位所属执法领域是否建立增值化执法服务事项清单并落实到位。",
        "",
    ),
    (
        "serv_three_documents",
        "service",
        "未推行涉企行政处罚决定书、企业信用修复告知书、合规指导意见书“三书同达”。",
        "抽查对企业作出的警告以外的处罚，信用修复告知书和合规指导意见书是否与处罚决定书同日送达。",
        "SERV-01",
    ),
    (
        "serv_credit_repair",
        "service",
        "未建立跨部门信用修复协同机制，企业信用修复申请办理不及时。",
        "信用修复申请是否在 10 个工作日内作出决定；是否与发改、市场监管等部门协同办理。",
        "SERV-03",
    ),
    (
        "serv_withdraw",
        "service",
        "信用修复后未同步撤下处罚公开信息。",
        "核查已修复的处罚信息在本单位网站及其他公示平台是否在修复决定后 5 个工作日内撤下。",
        "SERV-02",
    ),
]

ITEM_ORDER = {key: order for order, (key, *_rest) in enumerate(ITEMS, start=1)}


def phase_dates(start: date) -> list[tuple[str, date, date, str]]:
    """The plan's phases moved so the campaign begins on `start` (same offsets)."""
    shift = start - PLAN_START
    return [(kind, s + shift, e + shift, text) for kind, s, e, text in PHASES]


def plan_start_for_rectification_middle(today: date) -> date:
    """A start date that puts `today` in the middle of the 整改提升 phase."""
    _kind, s, e, _text = PHASES[2]
    middle = s + timedelta(days=(e - s).days // 2)
    return PLAN_START + (today - middle)


def add_default_items(template) -> int:
    from jiandu.campaigns.models import SelfCheckItem
    from jiandu.orgs.models import FocusArea

    areas = {a.code: a for a in FocusArea.objects.all()}
    SelfCheckItem.objects.bulk_create(
        [
            SelfCheckItem(
                template=template,
                focus_area=areas[area],
                order=order,
                text=text,
                guidance=guidance,
                rules=rules,
            )
            for order, (_key, area, text, guidance, rules) in enumerate(ITEMS, start=1)
        ]
    )
    return len(ITEMS)


@transaction.atomic
def create_campaign_from_plan(*, lead_unit, start: date, actor=None, doc_no=None, request=None):
    """Build the county plan's campaign starting on `start`: four phases at the plan's
    offsets, the six focus areas and the default self-check template."""
    from jiandu.campaigns.models import Campaign, Phase, SelfCheckTemplate
    from jiandu.orgs.models import FocusArea

    campaign = Campaign.objects.create(
        title=TITLE,
        doc_no=doc_no if doc_no is not None else f"平司〔{start.year}〕8号",
        lead_unit=lead_unit,
        description=DESCRIPTION,
        public_notice=PUBLIC_NOTICE,
    )
    campaign.focus_areas.set(FocusArea.objects.all())
    Phase.objects.bulk_create(
        [
            Phase(campaign=campaign, kind=kind, start=s, end=e, description=text)
            for kind, s, e, text in phase_dates(start)
        ]
    )
    template = SelfCheckTemplate.objects.create(
        campaign=campaign, title=TEMPLATE_TITLE, instructions=INSTRUCTIONS
    )
    count = add_default_items(template)
    log(
        "campaigns.campaign.created",
        actor=actor,
        obj=campaign,
        unit=lead_unit,
        request=request,
        data={"start": start.isoformat(), "items": count, "from_plan": True},
    )
    return campaign


@transaction.atomic
def create_campaign_from_previous(previous, *, lead_unit, start: date, actor=None, request=None):
    """A new campaign (a new year's) built from `previous`: its texts, focus areas and
    self-check template (items as the office last edited them), and its phases at the
    same offsets from the new start. `previous` itself is not touched: an ended campaign
    keeps its own template, reports and numbers."""
    from jiandu.campaigns.models import Campaign, Phase, SelfCheckItem, SelfCheckTemplate

    phases = list(previous.phases.order_by("start"))
    shift = start - phases[0].start if phases else timedelta(0)
    campaign = Campaign.objects.create(
        title=previous.title,
        doc_no=f"平司〔{start.year}〕8号",
        lead_unit=lead_unit,
        description=previous.description,
        public_notice=previous.public_notice,
    )
    campaign.focus_areas.set(previous.focus_areas.all())
    if phases:
        Phase.objects.bulk_create(
            [
                Phase(
                    campaign=campaign,
                    kind=p.kind,
                    start=p.start + shift,
                    end=p.end + shift,
                    description=p.description,
                )
                for p in phases
            ]
        )
    else:
        Phase.objects.bulk_create(
            [
                Phase(campaign=campaign, kind=kind, start=s, end=e, description=text)
                for kind, s, e, text in phase_dates(start)
            ]
        )
    old = getattr(previous, "template", None)
    template = SelfCheckTemplate.objects.create(
        campaign=campaign,
        title=old.title if old else TEMPLATE_TITLE,
        instructions=old.instructions if old else INSTRUCTIONS,
    )
    if old is not None:
        items = [
            SelfCheckItem(
                template=template,
                focus_area_id=item.focus_area_id,
                order=item.order,
                text=item.text,
                guidance=item.guidance,
                rules=item.rules,
            )
            for item in old.items.order_by("order", "id")
        ]
        SelfCheckItem.objects.bulk_create(items)
        count = len(items)
    else:
        count = add_default_items(template)
    log(
        "campaigns.campaign.created",
        actor=actor,
        obj=campaign,
        unit=lead_unit,
        request=request,
        data={"start": start.isoformat(), "items": count, "from_campaign": previous.pk},
    )
    return campaign
