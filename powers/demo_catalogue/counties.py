"""County power catalogues (权力事项目录): every power a town holds, plus some it may not.

A county catalogue is the union of its towns' lists (``may_devolve=True``; for Ju
County the powers the 2025 adjustment adds are included, since a power can only be
devolved from the catalogue) and the powers the county keeps (``may_devolve=False``):
major approvals, accident penalties, measures that need the county's own resources,
levies, rewards and adjudications. The kept rows are numbered from 101 in each
category and department, so they never collide with a town's codes.
"""

from powers.demo_catalogue.base import (
    B,
    adjudication,
    catalogue_from,
    coercion,
    confirmation,
    levy,
    licence,
    penalty,
    reserved_items,
    reward,
)
from powers.demo_catalogue.laws import AQSC, CXGH, DQ, GF, GSBX, SWR, TDFK, TDGL
from powers.demo_catalogue.shangcun import SHANGCUN_POWERS, SUNING_DEPARTMENTS
from powers.demo_catalogue.xiazhuang import (
    ADJUSTMENT_XIAZHUANG_2025,
    JUXIAN_DEPARTMENTS,
    XIAZHUANG_POWERS,
)

KEPT_BY_COUNTY = "重大事项或者需要县级统筹的事项，不宜下放乡镇。"

_LAND_USE_PERMIT = (
    B(
        CXGH,
        "第三十七条",
        "以划拨方式提供国有土地使用权的建设项目，由城乡规划主管部门核发建设用地规划许可证。",
    ),
    B(
        CXGH,
        "第三十八条",
        "以出让方式取得国有土地使用权的建设项目，签订出让合同后领取建设用地规划许可证。",
    ),
)
_TEMPORARY_LAND = B(
    TDGL,
    "第五十七条",
    "建设项目施工和地质勘查需要临时使用土地的，由县级以上人民政府自然资源主管部门批准，"
    "期限一般不超过二年。",
)
_ACCIDENT = B(
    AQSC,
    "第一百一十四条",
    "发生生产安全事故的，对负有责任的生产经营单位按事故等级处三十万元以上二千万元以下罚款。",
)
_POWER_CUT = B(
    AQSC,
    "第七十条",
    "生产经营单位拒不执行停产停业等决定、有发生事故现实危险的，经批准可以通知有关单位停止供电、"
    "停止供应民用爆炸物品。",
)
_HAZARDOUS_WASTE = B(
    GF,
    "第一百一十四条",
    "无许可证从事收集、贮存、利用、处置危险废物经营活动的，处一百万元以上五百万元以下罚款，"
    "并报请责令停业或者关闭。",
)
_LAND_DISPUTE = B(
    TDGL,
    "",
    "土地所有权和使用权争议由当事人协商解决；协商不成的，由人民政府处理，"
    "单位之间的争议由县级以上人民政府处理。",
)
_SAFETY_REWARD = B(
    AQSC,
    "第七十六条",
    "县级以上各级人民政府及其有关部门对报告重大事故隐患或者举报安全生产违法行为的有功人员给予奖励"
    "。",
)
_RECLAMATION_FEE = (
    B(
        TDGL,
        "第七十六条",
        "拒不履行土地复垦义务的，责令限期改正；逾期不改正的，责令缴纳复垦费，专项用于土地复垦。",
    ),
    B(
        TDFK,
        "",
        "土地复垦义务人不复垦或者复垦验收不合格的，应当缴纳土地复垦费，由有关部门代为组织复垦。",
    ),
)
_WORK_INJURY = B(
    GSBX, "", "职工发生事故伤害或者被诊断、鉴定为职业病的，由社会保险行政部门作出工伤认定。"
)

_SUNING_KEPT = (
    licence("SP", "建设用地规划许可证核发", *_LAND_USE_PERMIT),
    licence(
        "SP",
        "建设项目选址意见书核发",
        B(
            CXGH,
            "第三十六条",
            "以划拨方式提供国有土地使用权的建设项目，报送批准或者核准前应当申请核发选址意见书。",
        ),
    ),
    licence("ZR", "临时用地审批", _TEMPORARY_LAND),
    penalty("YJ", "对发生生产安全事故负有责任的生产经营单位的行政处罚", _ACCIDENT),
    coercion("YJ", "对拒不执行停产停业等决定的生产经营单位采取停止供电等措施", _POWER_CUT),
    penalty(
        "SH",
        "对造成大气污染事故的行政处罚",
        B(
            DQ,
            "第一百二十二条",
            "造成大气污染事故的，按照污染事故造成直接损失的一倍以上五倍以下计算罚款。",
        ),
    ),
    penalty("SH", "对无许可证从事危险废物经营活动的行政处罚", _HAZARDOUS_WASTE),
    adjudication("ZR", "土地权属争议调处", _LAND_DISPUTE),
    reward("YJ", "安全生产举报奖励", _SAFETY_REWARD),
    levy("ZR", "土地复垦费征收", *_RECLAMATION_FEE),
    confirmation("RS", "工伤认定", _WORK_INJURY),
)

_JU_KEPT = (
    licence("SP", "建设用地规划许可证核发", *_LAND_USE_PERMIT),
    licence("SP", "临时用地审批", _TEMPORARY_LAND),
    penalty("YJ", "对发生生产安全事故负有责任的生产经营单位的行政处罚", _ACCIDENT),
    coercion("YJ", "对拒不执行停产停业等决定的生产经营单位采取停止供电等措施", _POWER_CUT),
    penalty(
        "SH",
        "对造成水污染事故的行政处罚",
        B(
            SWR,
            "第九十四条",
            "企业事业单位造成水污染事故的，按照直接损失的百分之二十或者百分之三十计算罚款，"
            "并责令限期治理。",
        ),
    ),
    penalty("SH", "对无许可证从事危险废物经营活动的行政处罚", _HAZARDOUS_WASTE),
    adjudication("ZR", "土地权属争议调处", _LAND_DISPUTE),
    reward("YJ", "安全生产举报奖励", _SAFETY_REWARD),
    levy("ZR", "土地复垦费征收", *_RECLAMATION_FEE),
    confirmation("RS", "工伤认定", _WORK_INJURY),
)

SUNING_COUNTY_CATALOGUE = (
    *catalogue_from(SHANGCUN_POWERS),
    *reserved_items("130926", SUNING_DEPARTMENTS, _SUNING_KEPT, KEPT_BY_COUNTY),
)

JU_COUNTY_CATALOGUE = (
    *catalogue_from(XIAZHUANG_POWERS),
    *catalogue_from(a.record for a in ADJUSTMENT_XIAZHUANG_2025 if a.record is not None),
    *reserved_items("371122", JUXIAN_DEPARTMENTS, _JU_KEPT, KEPT_BY_COUNTY),
)
