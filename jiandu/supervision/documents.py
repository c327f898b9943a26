"""The 公文 that goes with an instrument, a 处理建议 or a 通报: its context for the 公文
engine (`documents.gongwen`, GB/T 9704-2012) and the issuing, which takes the 文号 from
the register and keeps it (and the document's id) on the object."""

from django.utils import timezone

from jiandu.documents import gongwen
from jiandu.documents.gongwen.kinds import issuer
from jiandu.documents.models import IssuedDocument


def _kind_of(obj) -> str:
    from jiandu.supervision.models import Circular, Instrument, Interview, Proposal

    if isinstance(obj, Instrument):
        return obj.kind
    if isinstance(obj, Interview):
        return "interview_notice"
    if isinstance(obj, Proposal):
        return "decision_proposal"
    if isinstance(obj, Circular):
        return "circular"
    raise TypeError(obj)


def document_context(obj) -> dict:
    """The context keys of the 公文 engine (issuer, number, title, recipient,
    body_sections, attachments, signer, date, cc) for an instrument, a proposal or a
    circular."""
    from jiandu.supervision.models import Circular, Instrument, Interview, Proposal

    body = issuer()
    base = {
        "issuer": body,
        "number": getattr(obj, "number", ""),
        "signer": body,
        "date": gongwen.date_text(timezone.localdate()),
        "attachments": [],
        "cc": [],
    }
    if isinstance(obj, Instrument):
        items = [line.strip() for line in obj.required_action.splitlines() if line.strip()]
        deadline = gongwen.date_text(obj.deadline) if obj.deadline else ""
        letter = obj.kind == Instrument.Kind.SUPERVISION_LETTER
        what, article = ("督办事项", "二十七") if letter else ("纠正意见", "二十八")
        return base | {
            "title": f"关于{obj.title}的{obj.get_kind_display()}",
            "recipient": obj.unit.name,
            "body_sections": [
                {
                    "heading": "",
                    "level": 0,
                    "paragraphs": [
                        f"根据《行政执法监督条例》第{article}条规定，现将有关事项函告如下。"
                    ],
                },
                {"heading": "一、基本事实", "level": 1, "paragraphs": obj.facts.splitlines()},
                {"heading": "二、依据", "level": 1, "paragraphs": obj.basis.splitlines()},
                {
                    "heading": f"三、{what}",
                    "level": 1,
                    "paragraphs": [f"（{i}）{t}" for i, t in enumerate(items, 1)],
                },
                {
                    "heading": "四、答复要求",
                    "level": 1,
                    "paragraphs": [
                        f"请于{deadline}前（{obj.reply_workdays}个工作日内）将落实情况书面报送我局，"
                        "并附相关证明材料。对本文书有异议的，可在答复期限内向我局书面提出，并说明理由。"
                    ],
                },
            ],
        }
    if isinstance(obj, Proposal):
        return base | {
            "title": f"关于提请对{obj.unit.name}作出行政执法监督决定的处理建议",
            "recipient": body.removesuffix("司法局") + "人民政府",
            "body_sections": [
                {"heading": "一、基本情况", "level": 1, "paragraphs": obj.facts.splitlines()},
                {"heading": "二、处理建议", "level": 1, "paragraphs": obj.proposal.splitlines()},
                {
                    "heading": "",
                    "level": 0,
                    "paragraphs": [
                        "根据《行政执法监督条例》第二十九条规定，建议县人民政府作出行政执法监督决定书。妥否，请批示。"
                    ],
                },
            ],
        }
    if isinstance(obj, Interview):
        held = timezone.localtime(obj.held_at)
        return base | {
            "title": f"关于约谈{obj.unit.name}负责人的通知",
            "recipient": obj.unit.name,
            "body_sections": [
                {
                    "heading": "",
                    "level": 0,
                    "paragraphs": [
                        "根据《行政执法监督条例》第二十二条规定，我局决定对你单位负责人进行约谈。"
                        "现将有关事项通知如下。"
                    ],
                },
                {"heading": "一、约谈事由", "level": 1, "paragraphs": obj.reason.splitlines()},
                {
                    "heading": "二、约谈时间和地点",
                    "level": 1,
                    "paragraphs": [
                        f"{gongwen.date_text(held)}{held:%H:%M}，{obj.place or '另行通知'}。"
                    ],
                },
                {
                    "heading": "三、参加人员",
                    "level": 1,
                    "paragraphs": [f"约谈人：{obj.interviewers}", f"被约谈人：{obj.attendees}"],
                },
                {
                    "heading": "四、有关要求",
                    "level": 1,
                    "paragraphs": ["请被约谈人员准时参加，并就约谈事由准备书面说明材料。"],
                },
            ],
        }
    if isinstance(obj, Circular):
        return base | {
            "title": obj.title,
            "recipient": "各乡镇人民政府，县直各行政执法部门",
            "body_sections": [{"heading": "", "level": 0, "paragraphs": obj.content.splitlines()}],
        }
    raise TypeError(obj)


def issue(obj, *, actor) -> IssuedDocument:
    """Issue the object's 公文 with a 文号 and keep the number and the document's id on the
    object (the unit it goes to sees it on its to-do page until it opens it: 送达)."""
    doc = gongwen.issue_document(
        _kind_of(obj),
        unit=getattr(obj, "unit", None),
        context=document_context(obj),
        actor=actor,
        subject=obj,
    )
    obj.number = doc.number.text
    obj.document_id = doc.pk
    obj.save(update_fields=["number", "document_id"])
    return doc


def document_of(obj) -> IssuedDocument | None:
    """The 公文 issued with `obj`, if any."""
    if not obj.document_id:
        return None
    return IssuedDocument.objects.select_related("number").filter(pk=obj.document_id).first()
