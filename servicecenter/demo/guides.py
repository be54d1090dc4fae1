"""The guides (办事指南) of the demo towns' service items: data, read by ``items``.

An item's guide is found by the first entry of ``GUIDES`` whose keyword occurs in the
item's name (so 食品经营许可（新办） and its variants share one guide), else by the
generic guide of the item's category. Materials name the system an applicant need not
bring a paper from (``shared``), and the minor ones a window may accept as pending
under 容缺 (``pending``). Special steps are the procedures that do not count toward the
limit (行政许可法 Art. 45, or the sector's own rules), each with its citation and the
most days it usually takes. Everything here is illustrative demo content in Chinese.
"""

from decimal import Decimal
from typing import NamedTuple

from servicecenter.choices import MaterialForm

ORIGINAL, COPY, BOTH = MaterialForm.ORIGINAL, MaterialForm.COPY, MaterialForm.ORIGINAL_AND_COPY

XKF_45 = "《中华人民共和国行政许可法》第四十五条"
SOCIAL_ASSISTANCE = "《社会救助暂行办法》"

# Systems that already hold a material (江苏意见: what the government holds is not asked for).
PROPERTY = "不动产登记信息平台"
LICENCES = "电子证照库"
BUSINESS = "市场主体登记信息系统"
POPULATION = "公安人口信息系统"
CIVIL = "低收入人口动态监测信息平台"
DISABILITY = "全国残疾人人口基础数据库"
SOCIAL_SECURITY = "社会保险信息系统"
MARRIAGE = "婚姻登记信息系统"
LAND = "农村土地承包信息系统"


class M(NamedTuple):
    """One material: name, form, copies, required, 容缺 allowed, shared from, note."""

    name: str
    form: str = ORIGINAL
    copies: int = 1
    required: bool = True
    pending: bool = False
    shared: str = ""
    note: str = ""


class Step(NamedTuple):
    name: str
    citation: str
    max_days: int


class Guide(NamedTuple):
    materials: tuple[M, ...]
    conditions: str
    desk: str = "general"  # a key of WINDOWS
    steps: tuple[Step, ...] = ()
    fee: Decimal = Decimal("0")
    fee_basis: str = ""  # empty: keep what the list says
    max_visits: int = 1
    kiosk: bool = False  # also at the self-service kiosk (instant items only)
    online: bool = True
    calendar_days: bool = False


WINDOWS = {
    "general": "综合受理窗口（2号）",
    "enterprise": "企业开办和投资项目窗口（1号）",
    "building": "规划建设窗口（3号）",
    "social": "社会事务综合窗口（4号）",
    "labour": "人社医保窗口（5号）",
    "police": "公安户政窗口（6号）",
    "farming": "农业农村服务窗口（7号）",
}

# The hall's enquiry line per town (fictional numbers in the towns' area codes).
PHONES = {"371122104": "0633-6581104", "130926104": "0317-5091104"}

ID = M("申请人身份证明", BOTH, note="居民身份证；委托办理的另附授权委托书及受托人身份证明")
ID_ONLY = M("居民身份证", ORIGINAL, note="现场核验，不收取复印件")
LICENCE = M("营业执照", COPY, shared=BUSINESS)
LEGAL_REP = M("法定代表人（负责人）身份证明", COPY)
HOUSEHOLD = M("居民户口簿", BOTH, shared=POPULATION)
BANK = M("本人社会保障卡或银行账户信息", COPY)
ASSETS = M("家庭经济状况核对授权书", ORIGINAL, note="共同生活的家庭成员签字")
SITE = M("经营场所使用证明", COPY, pending=True, note="房屋产权证明或租赁合同")
PLAN = M("经营场所平面图和设备布局图", ORIGINAL)
SITE_CHECK = Step("现场核查", XKF_45, 5)
EXPERTS = Step("专家评审", XKF_45, 10)
SURVEY = Step("现场踏勘", XKF_45, 5)
HOME_VISIT = Step("入户调查", SOCIAL_ASSISTANCE, 10)
NOTICE_7 = Step("公示", SOCIAL_ASSISTANCE, 7)

ASSISTANCE = "家庭人均收入低于当地最低生活保障标准，且家庭财产状况符合当地有关规定的本镇户籍居民。"

GUIDES = (
    (
        "乡村建设规划许可",
        Guide(
            (
                M("乡村建设规划许可申请表"),
                ID,
                M("宅基地使用权证明", COPY, shared=PROPERTY),
                M("建房设计图或通用图集选用说明", pending=True),
                M("村民委员会意见", pending=True),
                M("相邻权利人意见", required=False),
            ),
            "在乡、村庄规划区内使用原有宅基地建设农村村民住宅，或者进行乡镇企业、乡村公共设施"
            "和公益事业建设，符合乡、村庄规划和用地要求。",
            desk="building",
            steps=(SURVEY, Step("批前公示", XKF_45, 7)),
        ),
    ),
    (
        "临时建设工程规划许可",
        Guide(
            (
                M("临时建设工程规划许可申请表"),
                ID,
                M("土地使用权属证明", COPY, shared=PROPERTY),
                M("临时建设工程设计图"),
                M("到期自行拆除承诺书"),
            ),
            "临时建设不影响近期建设规划和控制性详细规划的实施以及交通、市容、安全等，使用期限"
            "一般不超过两年。",
            desk="building",
            steps=(SURVEY,),
        ),
    ),
    (
        "建设工程规划许可",
        Guide(
            (
                M("建设工程规划许可申请表"),
                LICENCE,
                M("土地使用权属证明", COPY, shared=PROPERTY),
                M("建设工程设计方案总平面图及效果图"),
                M("建设工程设计方案说明书", pending=True),
            ),
            "建设项目已取得用地手续，设计方案符合控制性详细规划和规划条件。",
            desk="building",
            steps=(EXPERTS, Step("批前公示", XKF_45, 7)),
        ),
    ),
    (
        "施工许可",
        Guide(
            (
                M("建筑工程施工许可申请表"),
                M("建设工程规划许可证", COPY, shared=LICENCES),
                M("施工合同", COPY),
                M("施工图设计文件审查合格书", COPY),
                M("质量安全监督手续", COPY, pending=True),
                M("建设资金已落实承诺书"),
            ),
            "已办理用地和规划许可手续，施工场地已具备施工条件，已确定施工企业，有满足施工需要"
            "的施工图纸和技术资料，有保证工程质量和安全的具体措施。",
            desk="building",
        ),
    ),
    (
        "食品经营许可",
        Guide(
            (
                M("食品经营许可申请书"),
                LICENCE,
                LEGAL_REP,
                PLAN,
                M("食品安全管理制度"),
                M("食品安全管理人员名单及培训考核证明", pending=True),
            ),
            "具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和管理制度。",
            desk="enterprise",
            steps=(SITE_CHECK,),
        ),
    ),
    (
        "个体工商户登记",
        Guide(
            (M("个体工商户登记（备案）申请书"), ID_ONLY, SITE),
            "有经营能力的自然人，经营场所符合规定，经营范围不属于禁止个体经营的项目。",
            desk="enterprise",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "公共场所卫生许可",
        Guide(
            (
                M("公共场所卫生许可申请表"),
                LICENCE,
                LEGAL_REP,
                M("公共场所卫生检测（评价）报告", pending=True),
                M("从业人员健康合格证明", COPY),
                M("卫生管理制度"),
                PLAN,
            ),
            "经营场所的选址、布局、设施设备和卫生管理符合《公共场所卫生管理条例》及其实施细则"
            "的要求。",
            desk="enterprise",
            steps=(Step("卫生检测", XKF_45, 10),),
        ),
    ),
    (
        "娱乐场所经营许可",
        Guide(
            (
                M("娱乐场所经营许可申请书"),
                LICENCE,
                M("投资人、法定代表人和负责人身份证明及无犯罪记录承诺", COPY),
                M("经营场所平面示意图"),
                SITE,
            ),
            "场所位置符合《娱乐场所管理条例》的设置要求，投资人、负责人无法定禁止情形，"
            "场所面积和设施符合规定。",
            desk="enterprise",
            steps=(SITE_CHECK, Step("听证", XKF_45, 20)),
        ),
    ),
    (
        "户外广告",
        Guide(
            (
                M("户外广告设置申请表"),
                ID,
                M("设置地点平面图及效果图"),
                M("场地使用权证明", COPY),
                M("设施结构安全证明", pending=True),
            ),
            "设置地点和形式符合户外广告设置规划，设施结构安全，不影响市容和交通安全。",
            desk="building",
            steps=(SURVEY,),
        ),
    ),
    (
        "临时占用",
        Guide(
            (M("临时占用申请表"), ID, M("占用位置示意图"), M("安全保障和按期恢复承诺书")),
            "因建设或者其他特殊需要临时占用，占用期限和范围符合市容环境卫生管理要求。",
            desk="building",
            max_visits=0,
        ),
    ),
    (
        "环境卫生设施",
        Guide(
            (M("拆除环境卫生设施申请书"), ID, M("拆除方案"), M("迁建或者补建方案")),
            "确需拆除，且已提出先建后拆的迁建或者补建方案。",
            desk="building",
            steps=(SURVEY,),
        ),
    ),
    (
        "建筑垃圾",
        Guide(
            (
                M("建筑垃圾处置核准申请表"),
                LICENCE,
                M("建筑垃圾处置方案"),
                M("运输车辆行驶证及密闭装置证明", COPY),
                M("消纳场地证明", COPY, pending=True),
            ),
            "有建筑垃圾分类处置方案，有符合规定的运输车辆和消纳场地。",
            desk="building",
        ),
    ),
    (
        "环境影响报告表",
        Guide(
            (
                M("建设项目环境影响报告表审批申请书"),
                M("建设项目环境影响报告表", copies=2),
                LICENCE,
                M("项目立项或者备案文件", COPY, shared=LICENCES),
            ),
            "建设项目类型、选址、布局、规模符合环境保护法律法规和相关规划，污染物排放符合国家和"
            "地方标准。",
            desk="enterprise",
            steps=(
                Step("技术评估（专家评审）", XKF_45, 15),
                Step("拟审批公示", "《中华人民共和国环境影响评价法》", 5),
            ),
        ),
    ),
    (
        "取水许可",
        Guide(
            (
                M("取水许可申请书"),
                LICENCE,
                M("建设项目水资源论证报告"),
                M("与第三者利害关系的相关说明", required=False),
            ),
            "取水符合水资源综合规划和用水总量控制指标，不损害第三者的合法权益。",
            desk="farming",
            steps=(Step("水资源论证报告专家评审", "《取水许可和水资源费征收管理条例》", 15),),
        ),
    ),
    (
        "水土保持方案",
        Guide(
            (M("水土保持方案审批申请书"), LICENCE, M("水土保持方案报告书（表）", copies=2)),
            "生产建设项目水土保持方案符合水土保持法律法规和技术标准。",
            desk="farming",
            steps=(Step("技术评审", XKF_45, 10),),
        ),
    ),
    (
        "公路",
        Guide(
            (
                M("公路路政许可申请书"),
                ID,
                M("设计和施工方案"),
                M("保障公路、公路附属设施质量和安全的技术评价报告", pending=True),
                M("处置施工险情和意外事故的应急方案"),
            ),
            "不影响公路安全和畅通，已提出保障公路安全的技术措施并承诺恢复原状或者给予补偿。",
            desk="building",
            steps=(SURVEY,),
        ),
    ),
    (
        "农药经营许可",
        Guide(
            (
                M("农药经营许可申请表"),
                LICENCE,
                M("农药专业技术人员学历或者培训证明", COPY),
                M("营业场所和仓储场所地址、面积、平面图说明"),
                M("农药经营质量管理制度", pending=True),
            ),
            "有农学、植保等相关专业的技术人员，有符合要求的营业场所、仓储场所和质量管理制度。",
            desk="farming",
            steps=(SITE_CHECK,),
        ),
    ),
    (
        "兽药经营许可",
        Guide(
            (
                M("兽药经营许可证申请表"),
                LICENCE,
                M("兽药专业技术人员资格证明", COPY),
                M("经营场所和仓库平面布局图"),
                M("兽药经营质量管理制度", pending=True),
            ),
            "有与经营的兽药相适应的专业技术人员、营业场所、设备和仓库设施，有质量管理制度。",
            desk="farming",
            steps=(SITE_CHECK,),
        ),
    ),
    (
        "动物防疫条件",
        Guide(
            (
                M("动物防疫条件审查申请表"),
                ID,
                M("场所地理位置图和各功能区布局平面图"),
                M("设施设备清单"),
                M("动物防疫制度", pending=True),
            ),
            "场所选址、布局、设施设备和防疫制度符合《动物防疫条件审查办法》。",
            desk="farming",
            steps=(SITE_CHECK,),
        ),
    ),
    (
        "排水管网",
        Guide(
            (
                M("城镇污水排入排水管网许可申请表"),
                LICENCE,
                M("排水户内部排水管网、专用检测井、排放口位置图"),
                M("排水水质检测报告", pending=True),
            ),
            "排放的污水符合国家和地方排放标准，已按规定建设预处理设施和专用检测井。",
            desk="building",
            steps=(Step("排水水质检测", XKF_45, 5),),
        ),
    ),
    (
        "投资项目备案",
        Guide(
            (M("企业投资项目备案信息表"), LICENCE),
            "在本镇实施、不使用政府投资资金的企业投资项目，且不属于核准目录所列项目。",
            desk="enterprise",
            max_visits=0,
        ),
    ),
    (
        "竣工验收备案",
        Guide(
            (
                M("房屋建筑和市政基础设施工程竣工验收备案表", copies=2),
                M("工程竣工验收报告"),
                M("规划、消防验收意见", COPY, shared=LICENCES),
                M("工程质量保修书", COPY),
            ),
            "建设工程已经竣工验收合格，自验收合格之日起十五日内备案。",
            desk="building",
        ),
    ),
    (
        "备案",
        Guide(
            (M("备案表"), LICENCE, M("相关证明材料", COPY)),
            "属于依法应当备案的事项，备案信息真实、完整。",
            desk="general",
            max_visits=0,
        ),
    ),
    (
        "食品小作坊",
        Guide(
            (M("食品小作坊登记申请书"), ID, SITE, M("从业人员健康证明", COPY)),
            "有固定的生产加工场所和与生产品种相适应的设施设备，从业人员持有健康证明。",
            desk="enterprise",
            steps=(SITE_CHECK,),
        ),
    ),
    (
        "居住证签注",
        Guide(
            (M("居住证"), ID_ONLY),
            "居住证持有人在居住地连续居住，每满一年签注一次。",
            desk="police",
            max_visits=0,
            kiosk=True,
            calendar_days=True,
        ),
    ),
    (
        "居住证换领",
        Guide(
            (M("居住证申领登记表"), ID_ONLY, M("原居住证（换领）", required=False)),
            "居住证损坏难以辨认或者丢失的，可以换领或者补领。",
            desk="police",
            fee=Decimal("10.00"),
            fee_basis="换领、补领缴纳证件工本费每证10元（《居住证暂行条例》第二十一条）",
            calendar_days=True,
        ),
    ),
    (
        "居住证",
        Guide(
            (
                M("居住证申领登记表"),
                ID_ONLY,
                M("居住证明", COPY, note="房屋租赁合同、房屋产权证明或者单位出具的住宿证明"),
                M("就业、就读证明", COPY, required=False),
            ),
            "离开常住户口所在地，在本镇居住半年以上，有合法稳定就业、合法稳定住所或者连续就读。",
            desk="police",
            calendar_days=True,
        ),
    ),
    (
        "居民身份证",
        Guide(
            (M("居民户口簿", BOTH), M("原居民身份证（换领、补领）", required=False)),
            "本镇常住户口的中国公民；照片由窗口现场采集。",
            desk="police",
            fee=Decimal("20.00"),
            fee_basis="按规定缴纳证件工本费20元；城乡低保对象初次申领和换领免收"
            "（《中华人民共和国居民身份证法》第二十条）",
            calendar_days=True,
        ),
    ),
    (
        "户口迁入",
        Guide(
            (
                M("户口迁移申请表"),
                HOUSEHOLD,
                M("亲属关系证明", COPY, shared=MARRIAGE),
                M("被投靠人住房证明", COPY, shared=PROPERTY),
            ),
            "夫妻、父母子女之间投靠，且被投靠人在本镇有合法稳定住所。",
            desk="police",
        ),
    ),
    (
        "边缘家庭",
        Guide(
            (M("最低生活保障边缘家庭认定申请书"), ID, HOUSEHOLD, ASSETS),
            "家庭人均收入低于当地最低生活保障标准1.5倍，且财产状况符合规定，不符合低保条件。",
            desk="social",
            steps=(HOME_VISIT, NOTICE_7),
        ),
    ),
    (
        "最低生活保障",
        Guide(
            (
                M("最低生活保障申请书"),
                ID,
                HOUSEHOLD,
                ASSETS,
                M("家庭收入和财产状况声明"),
                M("残疾、重病等特殊情况证明", COPY, required=False, shared=DISABILITY),
            ),
            ASSISTANCE,
            desk="social",
            steps=(HOME_VISIT, NOTICE_7),
        ),
    ),
    (
        "特困人员",
        Guide(
            (M("特困人员救助供养申请书"), ID, HOUSEHOLD, ASSETS),
            "无劳动能力、无生活来源，且无法定赡养、抚养、扶养义务人或者其义务人无履行能力的"
            "老年人、残疾人以及未满十六周岁的未成年人。",
            desk="social",
            steps=(HOME_VISIT, NOTICE_7),
        ),
    ),
    (
        "临时救助",
        Guide(
            (
                M("临时救助申请书"),
                ID,
                M("遭遇急难情况的证明材料", COPY, pending=True),
                M("家庭经济状况声明"),
            ),
            "因火灾、交通事故、突发重大疾病等意外事件，家庭基本生活暂时出现严重困难。",
            desk="social",
            steps=(HOME_VISIT,),
        ),
    ),
    (
        "高龄津贴",
        Guide(
            (M("高龄津贴申请表"), ID, BANK),
            "年满80周岁的本镇户籍老年人。",
            desk="social",
            max_visits=0,
        ),
    ),
    (
        "养老服务补贴",
        Guide(
            (M("养老服务补贴申请表"), ID, M("经济困难证明", COPY, shared=CIVIL)),
            "本镇户籍经济困难的高龄、失能老年人。",
            desk="social",
        ),
    ),
    (
        "孤儿",
        Guide(
            (
                M("孤儿基本生活保障申请表"),
                M("儿童身份证明或者户口簿", COPY, shared=POPULATION),
                M("父母死亡或者宣告失踪证明", COPY),
                M("监护人身份证明", COPY),
            ),
            "父母双方死亡或者宣告失踪的未满18周岁的本镇户籍儿童。",
            desk="social",
            steps=(HOME_VISIT, NOTICE_7),
        ),
    ),
    (
        "事实无人抚养",
        Guide(
            (
                M("事实无人抚养儿童认定申请表"),
                M("儿童身份证明或者户口簿", COPY, shared=POPULATION),
                M("父母重残、重病、服刑、失联等情况证明", COPY),
            ),
            "父母双方均符合重残、重病、服刑在押、强制隔离戒毒、失联等情形之一的儿童。",
            desk="social",
            steps=(HOME_VISIT, NOTICE_7),
        ),
    ),
    (
        "住房安全保障",
        Guide(
            (
                M("农村住房安全保障申请书"),
                ID,
                M("低收入人口身份证明", COPY, shared=CIVIL),
                M("住房产权证明", COPY, shared=PROPERTY),
            ),
            "农村低保户、特困供养人员、低保边缘家庭等重点对象，现住房经鉴定为C级或者D级危房。",
            desk="social",
            steps=(Step("房屋安全鉴定", XKF_45, 10), Step("村内公示", SOCIAL_ASSISTANCE, 7)),
        ),
    ),
    (
        "公共租赁住房",
        Guide(
            (
                M("公共租赁住房申请表"),
                ID,
                HOUSEHOLD,
                M("家庭收入证明"),
                M("住房状况证明", COPY, shared=PROPERTY),
            ),
            "在本镇无自有住房或者住房面积低于规定标准，收入、财产符合规定的家庭。",
            desk="social",
            steps=(Step("审核公示", "《公共租赁住房管理办法》", 7),),
        ),
    ),
    (
        "参保登记",
        Guide(
            (ID_ONLY,),
            "未参加其他基本养老（医疗）保险的本镇户籍居民。",
            desk="labour",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "待遇申领",
        Guide(
            (M("城乡居民基本养老保险待遇申领表"), ID, BANK),
            "年满60周岁、累计缴费满15年，且未领取国家规定的基本养老保障待遇。",
            desk="labour",
        ),
    ),
    (
        "失业登记",
        Guide(
            (ID_ONLY, M("解除或者终止劳动合同证明", COPY, required=False)),
            "法定劳动年龄内、有劳动能力和就业要求、处于无业状态的本镇常住人员。",
            desk="labour",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "就业登记",
        Guide(
            (ID_ONLY, M("劳动合同或者用工证明", COPY, required=False)),
            "在本镇实现就业的劳动者，或者用人单位为其招用的人员办理。",
            desk="labour",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "就业创业证",
        Guide((ID_ONLY,), "在法定劳动年龄内有劳动能力的城乡劳动者。", "labour", max_visits=0),
    ),
    (
        "社会保障卡",
        Guide(
            (ID_ONLY, M("近期免冠照片", required=False, note="可现场拍摄")),
            "参加社会保险的人员。",
            desk="labour",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "待遇领取资格",
        Guide(
            (ID_ONLY,),
            "正在领取社会保险待遇的人员，每年认证一次，可在自助终端刷脸认证。",
            desk="labour",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "创业担保贷款",
        Guide(
            (
                M("创业担保贷款申请书"),
                ID,
                LICENCE,
                M("创业计划书"),
                M("反担保材料", COPY, pending=True),
            ),
            "符合条件的城镇登记失业人员、返乡创业农民工、退役军人等，创业项目已登记注册。",
            desk="labour",
        ),
    ),
    (
        "职业技能培训补贴",
        Guide(
            (
                M("职业技能培训补贴申领表"),
                ID,
                M("职业技能等级证书", COPY, shared=LICENCES),
                BANK,
            ),
            "参加职业技能培训并取得证书的城乡劳动者。",
            desk="labour",
            max_visits=0,
        ),
    ),
    (
        "就业困难人员",
        Guide(
            (
                M("就业困难人员认定申请表"),
                ID,
                M("就业困难情形证明", COPY, shared=DISABILITY),
            ),
            "已办理失业登记，属于大龄、残疾、低保家庭、连续失业一年以上等就业困难情形之一。",
            desk="labour",
            steps=(Step("认定公示", "《就业服务与就业管理规定》", 5),),
        ),
    ),
    (
        "医疗救助",
        Guide(
            (
                M("医疗救助申请表"),
                ID,
                M("医疗费用票据及费用清单"),
                M("出院记录或者诊断证明", COPY),
            ),
            "低保对象、特困人员、低保边缘家庭成员等救助对象经基本医保和大病保险报销后，"
            "个人负担的合规医疗费用。",
            desk="labour",
        ),
    ),
    (
        "异地就医",
        Guide(
            (ID_ONLY,),
            "参加本县基本医疗保险、需要到统筹地区以外就医的人员。",
            desk="labour",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "医疗费用",
        Guide(
            (
                M("医疗费用报销申请表"),
                ID,
                M("医疗费用发票及明细清单"),
                M("病历、出院记录", COPY),
                BANK,
            ),
            "因特殊情况未能直接结算的参保人员合规医疗费用。",
            desk="labour",
        ),
    ),
    (
        "门诊慢特病",
        Guide(
            (M("门诊慢特病待遇认定申请表"), ID, M("病历及诊断证明", COPY), M("相关检查报告")),
            "参保人员患有列入门诊慢特病病种目录的疾病。",
            desk="labour",
            steps=(EXPERTS,),
        ),
    ),
    (
        "生育登记",
        Guide(
            (M("夫妻双方居民身份证", COPY), M("结婚证", COPY, shared=MARRIAGE)),
            "夫妻双方在本镇有户籍或者居住的，自愿登记。",
            desk="social",
            max_visits=0,
            kiosk=True,
        ),
    ),
    (
        "预防接种",
        Guide(
            (M("预防接种证"), M("出生医学证明", COPY)),
            "适龄儿童按国家免疫规划接种疫苗。",
            desk="social",
            online=False,
        ),
    ),
    (
        "计划生育",
        Guide(
            (
                M("奖励扶助（特别扶助）对象申报表"),
                ID,
                HOUSEHOLD,
                M("独生子女证或者子女死亡、伤残证明", COPY),
            ),
            "符合国家和省规定的农村部分计划生育家庭奖励扶助或者计划生育家庭特别扶助条件。",
            desk="social",
            steps=(Step("村级评议公示", "《全国农村部分计划生育家庭奖励扶助制度管理规范》", 7),),
        ),
    ),
    (
        "残疾人证",
        Guide(
            (M("残疾人证申请表"), ID, M("近期免冠照片", copies=3)),
            "符合残疾标准的本镇户籍居民。",
            desk="social",
            steps=(Step("残疾评定", "《残疾人证管理办法》", 15),),
        ),
    ),
    (
        "辅助器具",
        Guide(
            (M("辅助器具适配申请表"), M("残疾人证", COPY, shared=DISABILITY)),
            "持证残疾人经评估需要适配辅助器具。",
            desk="social",
            steps=(Step("适配评估", XKF_45, 10),),
        ),
    ),
    (
        "残疾儿童康复",
        Guide(
            (M("残疾儿童康复救助申请表"), HOUSEHOLD, M("医疗机构诊断证明", COPY)),
            "0-6岁视力、听力、言语、肢体、智力等残疾儿童和孤独症儿童。",
            desk="social",
        ),
    ),
    (
        "残疾",
        Guide(
            (
                M("残疾人两项补贴申请审批表"),
                ID,
                M("残疾人证", COPY, shared=DISABILITY),
                M("低保家庭证明", COPY, required=False, shared=CIVIL),
                BANK,
            ),
            "持有第二代残疾人证的本镇户籍残疾人，符合困难残疾人生活补贴或者重度残疾人护理补贴"
            "的条件。",
            desk="social",
        ),
    ),
    (
        "退役军人优待证",
        Guide(
            (M("优待证申领表"), ID_ONLY, M("退役证件", COPY)),
            "本镇户籍的退役军人和其他优抚对象。",
            desk="social",
            max_visits=0,
        ),
    ),
    (
        "抚恤补助",
        Guide(
            (M("抚恤补助申领表"), ID, M("优抚对象证件", COPY), BANK),
            "符合国家规定条件的优抚对象。",
            desk="social",
        ),
    ),
    (
        "法律援助",
        Guide(
            (
                M("法律援助申请表"),
                ID,
                M("经济困难状况说明表"),
                M("与所申请法律援助事项有关的材料", COPY, pending=True),
            ),
            "因经济困难没有委托代理人，且申请事项属于法律援助范围。",
            desk="social",
        ),
    ),
    (
        "人民调解",
        Guide(
            (M("人民调解申请书", required=False, note="也可以口头申请"), ID),
            "当事人之间发生的民间纠纷，双方自愿调解。",
            desk="social",
            online=False,
        ),
    ),
    (
        "投诉",
        Guide(
            (M("投诉书"), ID, M("相关证据材料", COPY, required=False)),
            "有明确的被投诉人、具体的投诉请求和事实根据，属于本部门职责范围。",
            desk="general",
            max_visits=0,
        ),
    ),
    (
        "年度报告",
        Guide((ID_ONLY,), "已登记的个体工商户。", "enterprise", max_visits=0, kiosk=True),
    ),
    (
        "补贴",
        Guide(
            (
                M("补贴申请表"),
                ID,
                M("土地承包经营权证明或者购机发票", COPY, shared=LAND),
                M("惠农补贴一卡通账户", COPY),
            ),
            "本镇从事农业生产的农户和新型农业经营主体，符合当年补贴实施方案的条件。",
            desk="farming",
            steps=(Step("现场核验", "当年农业补贴实施方案", 5),),
        ),
    ),
    (
        "自然灾害",
        Guide(
            (M("自然灾害生活救助申请表"), ID, M("受灾情况说明")),
            "因自然灾害造成基本生活困难的受灾人员。",
            desk="social",
            steps=(HOME_VISIT, Step("救助对象公示", "《自然灾害救助条例》", 5)),
        ),
    ),
)

GENERIC_MATERIALS = (M("申请书"), ID, M("相关证明材料", COPY))
GENERIC = {
    "licence": Guide(
        (M("行政许可申请书"), ID, LICENCE, M("相关证明材料", COPY)),
        "申请人符合法律、法规规定的许可条件，申请材料齐全、符合法定形式。",
        desk="enterprise",
        steps=(SITE_CHECK,),
    ),
    "confirmation": Guide(
        GENERIC_MATERIALS,
        "申请人符合确认事项的法定条件。",
        desk="social",
        steps=(Step("公示", XKF_45, 5),),
    ),
}
DEFAULT = Guide(GENERIC_MATERIALS, "申请人符合该事项的办理条件，申请材料齐全、符合法定形式。")


def guide_for(name, category):
    """The guide of an item called ``name`` in ``category``."""
    for keyword, guide in GUIDES:
        if keyword in name:
            return guide
    return GENERIC.get(category, DEFAULT)
