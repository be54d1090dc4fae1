"""Demo geography and organisation, taken from the seed reports (shared/seeds/).

Ju County's Xiazhuang (seed 000) and Suning County's Shangcun (seed 001) are the
two pilot towns; Zhaoxian and Liangjiacun are ordinary towns beside them, so every
screen has a town that is *not* a pilot. Facts the seeds state are used as they are
(10 communities, 66 villages, 69,000 people, 114.8 km², 15 devolving departments,
32 villages); the seeds do not give village names, Shangcun's population and area,
or staffing figures, so the names are plausible inventions, the missing facts stay
empty, and the staffing figures are illustrative.

Everything is looked up by its natural key before it is created, so a second run
creates nothing and leaves whatever an administrator changed since alone.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from townadmin.choices import DepartmentKind, ManagementMode, QuotaKind, TownKind
from townadmin.models import Community, County, Department, StaffingQuota, Town, Village

ADMIN = QuotaKind.ADMINISTRATIVE
INST = QuotaKind.INSTITUTIONAL

# County totals (编制总量) are illustrative; they only have to cover the units modelled
# here, because the staffing service refuses a unit quota that would exceed them.
COUNTIES = [
    # code, name, province, city, administrative total, institutional total
    ("371122", "莒县", "山东省", "日照市", 2860, 15640),
    ("130926", "肃宁县", "河北省", "沧州市", 1520, 8450),
]

TOWNS = [
    # county code, code, name, pilot batch, pilot since, population, area km²
    (
        "371122",
        "371122104",
        "夏庄镇",
        "山东省经济发达镇行政管理体制改革试点",
        datetime.date(2014, 2, 1),  # seed 000: 2014年2月
        69000,
        Decimal("114.8"),
    ),
    (
        "130926",
        "130926104",
        "尚村镇",
        "河北省国家经济发达镇行政管理体制改革联系点",
        datetime.date(2018, 1, 1),  # seed 001 gives the year only
        None,
        None,
    ),
    ("371122", "371122105", "招贤镇", "", None, None, None),
    ("130926", "130926105", "梁家村镇", "", None, None, None),
]

# Seed 000: "涉及15个部门单位，共计76项县级管理权限" in construction, planning and
# investment, project approval, environment, safety production, market supervision,
# public order and livelihood. Names are today's (the 2019 reform renamed 国土局 and
# merged 规划局 into 自然资源和规划局; environment bureaus became city branches).
JUXIAN_DEVOLVING_DEPARTMENTS = [
    # name, short name, what it devolved (seed 000's wording)
    ("莒县住房和城乡建设局", "县住建局", "城镇建设"),
    ("莒县自然资源和规划局", "县自然资源局", "规划、用地（原国土局）"),
    ("莒县发展和改革局", "县发改局", "规划投资、项目优先审批"),
    ("莒县行政审批服务局", "县审批局", "项目审批"),
    ("日照市生态环境局莒县分局", "县环保分局", "环境保护"),
    ("莒县应急管理局", "县应急局", "安全生产"),
    ("莒县市场监督管理局", "县市场监管局", "市场监管"),
    ("莒县公安局", "县公安局", "社会治安、户籍"),
    ("莒县人力资源和社会保障局", "县人社局", "民生保障：社会保险、就业"),
    ("莒县民政局", "县民政局", "民生保障：社会救助"),
    ("莒县卫生健康局", "县卫健局", "民生保障：卫生健康"),
    ("莒县交通运输局", "县交通局", "城镇建设：农村公路"),
    ("莒县水利局", "县水利局", "城镇建设：水利设施"),
    ("莒县农业农村局", "县农业农村局", "民生保障：农业农村"),
    ("莒县文化和旅游局", "县文旅局", "市场监管：文化市场"),
]

SUNING_DEPARTMENTS = [
    ("肃宁县住房和城乡建设局", "县住建局", "规划建设、市政管理、危房改造"),
    ("肃宁县自然资源和规划局", "县自然资源局", "土地、规划"),
    ("肃宁县行政审批局", "县审批局", "行政许可"),
    ("沧州市生态环境局肃宁县分局", "县环保分局", "环境保护"),
    ("肃宁县应急管理局", "县应急局", "安全生产"),
    ("肃宁县市场监督管理局", "县市场监管局", "市场监管、个体工商户登记"),
    ("肃宁县公安局", "县公安局", "社会治安"),
    ("肃宁县人力资源和社会保障局", "县人社局", "社会保险"),
    ("肃宁县民政局", "县民政局", "民政、社会救助"),
    ("肃宁县卫生健康局", "县卫健局", "卫生健康"),
    ("肃宁县文化广电和旅游局", "县文广旅局", "文化市场"),
    ("肃宁县农业农村局", "县农业农村局", "失地补贴、农业"),
    # Source departments of Shangcun's other list items (powers.demo_catalogue); its
    # 肃宁县司法局 is among the county offices below.
    ("肃宁县综合行政执法局", "县综合执法局", "市容环境、城市管理综合执法"),
    ("肃宁县医疗保障局", "县医保局", "城乡居民医疗保险、医疗救助"),
    ("肃宁县水务局", "县水务局", "水利设施、取水、河道管理"),
    ("肃宁县交通运输局", "县交通局", "农村公路"),
    ("肃宁县发展和改革局", "县发改局", "项目备案、价格"),
    ("肃宁县退役军人事务局", "县退役军人局", "优抚、退役军人服务"),
    ("肃宁县残疾人联合会", "县残联", "残疾人证、残疾人帮扶"),
]

# Units every county has that did not devolve powers: the staffing office, the reform
# office (seed 000: the leading group's office sits in the staffing office), finance
# and justice (parents of the finance and justice offices stationed in towns).
COUNTY_OFFICES = {
    "371122": [
        ("中共莒县县委机构编制委员会办公室", "县委编办", "机构编制管理"),
        (
            "莒县夏庄镇行政管理体制改革试点工作领导小组办公室",
            "县改革办",
            "设在县委编办；每2周现场督导1次，推进慢的工作每天督导1次（seed 000）",
        ),
        ("莒县财政局", "县财政局", "县镇财政管理体制、超收激励"),
        ("莒县司法局", "县司法局", "司法行政"),
    ],
    "130926": [
        ("中共肃宁县委机构编制委员会办公室", "县委编办", "机构编制管理"),
        ("肃宁县经济发达镇行政管理体制改革工作领导小组办公室", "县改革办", "改革督导"),
        ("肃宁县财政局", "县财政局", "县镇财政支出责任划分"),
        ("肃宁县司法局", "县司法局", "司法行政"),
    ],
}

# Town offices: seed 000's "six offices, three centres". The seed names 党政办公室,
# 经济发展办公室, 安全生产监督管理办公室, 综合执法办公室, 便民服务中心 and 招商促进中心;
# the other three are the usual ones of a Shandong pilot town. Administrative posts
# staff the offices, institutional posts the centres; these figures include the 5
# administrative and 6 institutional posts the county added (seed 000).
TOWN_OFFICES = {
    "371122104": [
        # name, duties, administrative approved/filled, institutional approved/filled
        ("党政办公室", "党务、政务、文秘、督查", (9, 9), (0, 0)),
        ("经济发展办公室", "经济运行、财政经管、统计；设在海右工业园", (6, 6), (0, 0)),
        ("社会事务办公室", "民政、社保、卫生健康、教育文化", (7, 6), (0, 0)),
        ("村镇建设管理办公室", "规划建设、环境保护、村镇管理", (6, 5), (0, 0)),
        ("安全生产监督管理办公室", "安全生产监管；设在海右工业园", (6, 6), (0, 0)),
        ("综合执法办公室", "联合执法平台：统一考核管理、调度指挥", (8, 7), (0, 0)),
        ("便民服务中心", "下放事项集中办理，一站式办结", (0, 0), (14, 13)),
        ("招商促进中心", "招商引资项目推进；设在海右工业园", (0, 0), (8, 7)),
        ("农业综合服务中心", "农技推广、农机、畜牧兽医、水利站", (0, 0), (12, 11)),
    ],
    # Seed 001: 政务(便民)服务中心, 镇综合执法队, 社会管理综合指挥平台; the five
    # offices are those of Hebei's 2019 town reform.
    "130926104": [
        ("党政综合办公室", "党务、政务、文秘", (8, 8), (0, 0)),
        ("党建工作办公室", "基层党建、星级党支部评选", (4, 4), (0, 0)),
        ("经济发展办公室", "经济运行、统计", (5, 5), (0, 0)),
        ("社会事务办公室", "民政、社保、卫健、残联", (6, 5), (0, 0)),
        ("平安建设办公室", "综治维稳、村级诉前调解中心", (5, 5), (0, 0)),
        ("政务服务中心", "一窗进出、一站式办结、不见面审批", (0, 0), (12, 11)),
        (
            "综合执法队",
            "以镇政府名义综合执法：规划建设、市政、环保、安全生产、文化市场",
            (0, 0),
            (15, 14),
        ),
        ("社会管理综合指挥中心", "128个摄像头、162个网格的综合指挥", (0, 0), (6, 6)),
        ("农业综合服务中心", "农技推广、农业服务", (0, 0), (8, 7)),
    ],
    "371122105": [
        ("党政办公室", "党务、政务、文秘", (7, 7), (0, 0)),
        ("社会事务办公室", "民政、社保、卫生健康", (5, 5), (0, 0)),
        ("便民服务中心", "公共服务事项受理", (0, 0), (6, 6)),
    ],
    "130926105": [
        ("党政综合办公室", "党务、政务、文秘", (7, 6), (0, 0)),
        ("社会事务办公室", "民政、社保、卫健", (5, 5), (0, 0)),
        ("便民服务中心", "公共服务事项受理", (0, 0), (6, 5)),
    ],
}

# Management modes follow seed 003 (Xixian New Area), which gives each kind of
# stationed agency its own mode.
MODES = {
    "派出所": (
        ManagementMode.STATIONED_ASSESSED,
        "县公安局派驻；所长兼任镇党委委员，镇参与考核",
    ),
    "市场监督管理所": (
        ManagementMode.STATIONED_ASSESSED,
        "以县市场监管局管理为主，纳入镇统一指挥协调，镇参与考核",
    ),
    "自然资源所": (ManagementMode.TOWN_MANAGED, "整建制交由镇管理"),
    "司法所": (ManagementMode.DUAL, "县司法局派出机构，实行双重管理"),
    "财政所": (ManagementMode.DUAL, "县财政局与镇双重管理"),
}

STATIONED_AGENCIES = {
    # town code: (agency name prefix, [(kind, parent department, admin, institutional)])
    "371122104": (
        "夏庄",
        [
            ("派出所", "莒县公安局", (18, 17), (0, 0)),
            ("市场监督管理所", "莒县市场监督管理局", (8, 7), (0, 0)),
            ("自然资源所", "莒县自然资源和规划局", (4, 4), (3, 3)),
            ("财政所", "莒县财政局", (3, 3), (4, 4)),
            ("司法所", "莒县司法局", (3, 3), (0, 0)),
        ],
    ),
    "130926104": (
        "尚村",
        [
            ("派出所", "肃宁县公安局", (15, 14), (0, 0)),
            ("市场监督管理所", "肃宁县市场监督管理局", (6, 6), (0, 0)),
            ("自然资源所", "肃宁县自然资源和规划局", (3, 3), (2, 2)),
            ("财政所", "肃宁县财政局", (3, 3), (3, 3)),
            ("司法所", "肃宁县司法局", (3, 2), (0, 0)),
        ],
    ),
    "371122105": ("招贤", [("派出所", "莒县公安局", (10, 10), (0, 0))]),
    "130926105": ("梁家村", [("派出所", "肃宁县公安局", (9, 9), (0, 0))]),
}

# Seed 000: 66 former administrative villages under 10 communities. Names are invented
# in the style of southern Ju County (官庄, 疃, 岭, 崖, 峪, 店子).
XIAZHUANG_COMMUNITIES = {
    "夏庄社区": "夏庄 东夏庄 西夏庄 后夏庄 前官庄 后官庄 小官庄",
    "海右社区": "河崖 前河崖 后河崖 沙沟 辛庄 孙家庄",
    "大王疃社区": "大王疃 小王疃 北王疃 张家疃 李家疃 马家疃 坡子",
    "石井社区": "石井 东石井 西石井 石桥 石龙口 杨家庄",
    "岭前社区": "岭前 岭后 岭东 南岭 北岭 刘家岭 高家岭",
    "清泉社区": "清泉 泉子沟 泉头 王家峪 赵家峪 黄土岭 双泉",
    "柳沟社区": "柳沟 东柳沟 西柳沟 桃园 杏园 梨园",
    "东平社区": "东平 西平 平安庄 朱家庄 徐家庄 胡家庄 于家庄",
    "大店子社区": "大店子 小店子 店子集 郑家店 陈家店 宋家店",
    "崖头社区": "崖头 东崖头 西崖头 牛家庄 周家庄 吴家庄 郭家庄",
}

# Seed 001: a village agent in each of Shangcun's 32 villages; Hebei plain names.
VILLAGES = {
    "130926104": (
        "尚村 东尚村 西尚村 南尚村 北尚村 后尚村 小尚村 杜庄 马庄 刘庄 韩庄 郭庄 "
        "东王庄 西王庄 李家营 张家营 赵家营 大曲堤 小曲堤 付佐 孟庄 邵庄 大齐庄 "
        "小齐庄 北辛庄 南辛庄 前屯 后屯 高庄 杨庄 黄庄 田庄"
    ),
    "371122105": "招贤 东招贤 西招贤 孟家洼 大河崖 石泉",
    "130926105": "梁家村 东梁家村 西梁家村 辛店 孟家庄",
}


def _refuse_in_production():
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo organisation data is refused in production.")


def _quota(department, kind, approved_filled):
    approved, filled = approved_filled
    if approved:
        StaffingQuota.objects.get_or_create(
            department=department, kind=kind, defaults={"approved": approved, "filled": filled}
        )


def _department(county, town, name, **defaults):
    department, _ = Department.objects.get_or_create(
        county=county, town=town, name=name, defaults=defaults
    )
    return department


def _seed_county_departments(county):
    rows = JUXIAN_DEVOLVING_DEPARTMENTS if county.code == "371122" else SUNING_DEPARTMENTS
    for name, short_name, duties in [*rows, *COUNTY_OFFICES[county.code]]:
        _department(
            county,
            None,
            name,
            kind=DepartmentKind.COUNTY_DEPARTMENT,
            short_name=short_name,
            duties=duties,
        )


def _seed_town_units(town):
    for name, duties, administrative, institutional in TOWN_OFFICES[town.code]:
        office = _department(
            town.county, town, name, kind=DepartmentKind.TOWN_OFFICE, duties=duties
        )
        _quota(office, ADMIN, administrative)
        _quota(office, INST, institutional)
    prefix, agencies = STATIONED_AGENCIES[town.code]
    for kind_name, parent_name, administrative, institutional in agencies:
        mode, duties = MODES[kind_name]
        agency = _department(
            town.county,
            town,
            prefix + kind_name,
            kind=DepartmentKind.STATIONED_AGENCY,
            parent=Department.objects.get(county=town.county, town=None, name=parent_name),
            management_mode=mode,
            duties=duties,
        )
        _quota(agency, ADMIN, administrative)
        _quota(agency, INST, institutional)


def _seed_villages(town):
    # Statistical division codes: 001-199 residents' committees, 200-399 villages.
    if town.code == "371122104":
        number = 200
        for index, (community_name, village_names) in enumerate(XIAZHUANG_COMMUNITIES.items()):
            community, _ = Community.objects.get_or_create(
                town=town, name=community_name, defaults={"code": f"{town.code}{index + 1:03d}"}
            )
            for village_name in village_names.split():
                number += 1
                Village.objects.get_or_create(
                    town=town,
                    name=village_name,
                    defaults={"community": community, "code": f"{town.code}{number:03d}"},
                )
        return
    for number, village_name in enumerate(VILLAGES[town.code].split(), start=201):
        Village.objects.get_or_create(
            town=town, name=village_name, defaults={"code": f"{town.code}{number:03d}"}
        )


@transaction.atomic
def seed_org():
    """Create the demo counties, towns, villages, units and quotas that are missing.

    Returns the demo towns. Refused in production: demo units would mix with real ones.
    """
    _refuse_in_production()
    counties = {}
    for code, name, province, city, administrative, institutional in COUNTIES:
        counties[code], _ = County.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "province": province,
                "city": city,
                "administrative_posts_total": administrative,
                "institutional_posts_total": institutional,
            },
        )
        _seed_county_departments(counties[code])
    towns = []
    for county_code, code, name, batch, since, population, area in TOWNS:
        town, _ = Town.objects.get_or_create(
            code=code,
            defaults={
                "county": counties[county_code],
                "name": name,
                "kind": TownKind.TOWN,
                "is_pilot": bool(batch),
                "pilot_batch": batch,
                "pilot_since": since,
                "population": population,
                "area_km2": area,
            },
        )
        _seed_town_units(town)
        _seed_villages(town)
        towns.append(town)
    return towns
