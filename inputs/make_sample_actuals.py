"""Regenerate `inputs/实际完成值_样例.xlsx` — INVENTED sample year-end actuals for the twelve seed projects.

The figures below are made up for demonstration and testing; they are not the Shanghai Federation of
Trade Unions' real results. They are chosen to exercise the engine as real data would: shortfalls
(with and without a written reason, one below 60% completion), an over-achievement, a strict ">"
met exactly, 部分达成 answers, a 评定得分 inside its band, a missing actual, a text needing a
person's judgment, under-executed budgets, the 增长1% targets with last year's values, a
percent-formatted cell, 万-numbers, and projects without any 满意度 indicator (职工物价监督工作经费,
上海市工人文化宫图书馆专项补贴).

Run from the repository root:  python3 inputs/make_sample_actuals.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook

from evaluator.ingest.actuals_template import write_actuals_template
from evaluator.ingest.actuals_workbook import ACTUALS_SHEET, BUDGET_SHEET, GUIDE_SHEET
from evaluator.ingest.declarations import read_declarations

HERE = Path(__file__).resolve().parent
TARGETS = HERE / "shanghai_ftu_2024_targets.txt"
OUTPUT = HERE / "实际完成值_样例.xlsx"
NOTICE = "【样例数据，虚构】本工作簿中的实际完成值与预算执行数均为演示用的虚构数据，不代表任何单位的真实情况。"

# (project, 三级指标 prefix) → 实际完成值, and optionally 上年实际值 / 完成档次 / 评定得分 / 偏差原因 / 超额原因.
Row = dict[str, object]
ACTUALS: dict[tuple[str, str], Row] = {
    ("上海市退休职工大学教育业务补助", "教师课时费"): {"actual": "已按实发放"},
    ("上海市退休职工大学教育业务补助", "年度开设班级数"): {"actual": 108},
    ("上海市退休职工大学教育业务补助", "年度招收学员人次"): {
        "actual": "2,950人次",
        "reason": "受部分教室装修影响，秋季班压缩2个班次；明年提前排课。",
    },
    ("上海市退休职工大学教育业务补助", "年度招生开班完成情况"): {"actual": "100%"},
    ("上海市退休职工大学教育业务补助", "年度招生计划完成情况"): {
        "actual": "98.3%",
        "reason": "个别专业报名不足；将调整专业设置。",
    },
    ("上海市退休职工大学教育业务补助", "项目实施计划完成率"): {"actual": "100%"},
    ("上海市退休职工大学教育业务补助", "发挥市级老年大学"): {"actual": "师生反馈良好"},
    ("上海市退休职工大学教育业务补助", "学员满意度"): {"actual": "93.6%"},
    ("上海市退管会工作经费及尊老服务经费", "示范指导和组织区退管会"): {"actual": 5},
    ("上海市退管会工作经费及尊老服务经费", "组织开展千名老人免费体检"): {"actual": "1,046人"},
    ("上海市退管会工作经费及尊老服务经费", "示范和组织开展敬老月"): {"actual": "1.26万人次"},
    ("上海市退管会工作经费及尊老服务经费", "组织开展文体活动"): {"actual": "4场"},  # shortfall, no reason given
    ("上海市退管会工作经费及尊老服务经费", "示范引领和组织动员"): {
        "actual": 820,
        "cause": "实际工作需要",
        "reason": "夏季高温持续，增加“夏送清凉”慰问批次。",
    },
    ("上海市退管会工作经费及尊老服务经费", "助力老年人适应数字时代"): {"actual": "6集"},
    ("上海市退管会工作经费及尊老服务经费", "开展退管业务培训"): {"actual": 5},
    ("上海市退管会工作经费及尊老服务经费", "全年各项为老服务项目的完成度"): {"actual": "100%"},
    ("上海市退管会工作经费及尊老服务经费", "指导各级退管组织做好信访"): {"actual": "件件有回音"},
    ("上海市退管会工作经费及尊老服务经费", "按全年项目实施计划及时开展"): {"actual": "100%"},
    ("上海市退管会工作经费及尊老服务经费", "通过开展敬老爱老助老活动"): {"actual": "退休职工得益面广"},
    ("上海市退管会工作经费及尊老服务经费", "传递对老年人的关心关爱"): {"actual": "是"},
    ("上海市退管会工作经费及尊老服务经费", "通过开展老年人喜闻乐见"): {
        "actual": "基本达到",
        "tier": "部分达成",
        "reason": "郊区活动场次偏少，明年增加下沉社区场次。",
    },
    ("上海市退管会工作经费及尊老服务经费", "每年固定开展示范活动"): {"actual": "健全"},
    ("上海市退管会工作经费及尊老服务经费", "专人负责项目实施监督"): {"actual": "96.5%", "reason": "部分活动经费结余。"},
    ("上海市退管会工作经费及尊老服务经费", "积极与各涉老组织"): {"actual": "完成"},
    ("上海市退管会工作经费及尊老服务经费", "区、局、集团公司退管会"): {"actual": "92%"},
    ("灵活就业群体工会会员项目经费", "服务对象人数"): {
        "actual": "5.6万人",
        "reason": "与网约配送平台的合作入会推迟到四季度上线；已签协议，明年一季度集中推进。",
    },
    ("灵活就业群体工会会员项目经费", "预算资金到位率"): {"actual": "100%"},
    ("灵活就业群体工会会员项目经费", "预算资金及时率"): {"actual": "100%"},
    ("灵活就业群体工会会员项目经费", "当年项目资金发放率"): {
        "actual": "85%",
        "reason": "部分会员信息核验未完成，资金结转下年发放。",
    },
    ("灵活就业群体工会会员项目经费", "提升工会组织的吸引力"): {"actual": "是"},
    ("灵活就业群体工会会员项目经费", "扩大工会组织对灵活就业"): {
        "actual": "覆盖面有所扩大",
        "tier": "部分达成",
        "points": 7.2,
        "reason": "新就业形态劳动者入会率仍偏低。",
    },
    ("灵活就业群体工会会员项目经费", "夯实党执政"): {"actual": "是"},
    ("灵活就业群体工会会员项目经费", "灵活就业群体工会会员调查满意度"): {"actual": 0.912, "percent": True},
    ("上海市总工会专项业务经费", "服务对象人数"): {"actual": 562},
    ("上海市总工会专项业务经费", "资金到位率"): {"actual": "100%"},
    ("上海市总工会专项业务经费", "完成幼儿教育任务"): {"actual": "100%"},
    ("上海市总工会专项业务经费", "维持园内教学秩序"): {"actual": "100%"},
    ("上海市总工会专项业务经费", "资金使用规范"): {"actual": "100%"},
    ("上海市总工会专项业务经费", "修理维护及时性"): {"actual": "及时"},
    ("上海市总工会专项业务经费", "资金到位及时性"): {"actual": "及时"},
    ("上海市总工会专项业务经费", "采购计划完成及时性"): {
        "actual": "基本及时",
        "reason": "一批教具采购因供应商原因延后两周。",
    },
    ("上海市总工会专项业务经费", "有利于幼儿健康发展"): {"actual": "是"},
    ("上海市总工会专项业务经费", "持续提升学校办学水平"): {"actual": "是"},
    ("上海市总工会专项业务经费", "家长测评满意度"): {"actual": "90%"},  # strict ">90" met exactly
    ("上海市总工会房屋租赁费", "机关大楼房租支付"): {"actual": "100%"},
    ("上海市总工会房屋租赁费", "租金不变"): {"actual": "是"},
    ("上海市总工会房屋租赁费", "续租协议"): {"actual": "有效"},
    ("上海市总工会房屋租赁费", "体现工人阶级地位"): {"actual": "体现"},
    ("上海市总工会房屋租赁费", "机关职工满意"): {"actual": "96%"},
    ("职工物价监督工作经费", "家计记账户记账津贴"): {"actual": "按时发放"},
    ("职工物价监督工作经费", "家计记账户数量"): {"actual": "243户", "reason": "7户因搬迁退出记账，年中已补充。"},
    ("职工物价监督工作经费", "预算按计划完成"): {"actual": "按计划完成"},
    ("职工物价监督工作经费", "家计记账户报表按时报送"): {"actual": "按时报送"},
    ("职工物价监督工作经费", "掌握职工年度家计记账监测数据"): {"actual": "及时"},
    # 掌握职工年度物价监测数据…: left empty on purpose — a missing actual.
    ("支内职工退休回沪定居人员帮困专项资金", "特困补助"): {
        "actual": "2,890人",
        "reason": "部分对象去世或迁出，符合条件人数减少。",
    },
    ("支内职工退休回沪定居人员帮困专项资金", "发放支内退休回沪养老"): {"actual": "4人"},
    ("支内职工退休回沪定居人员帮困专项资金", "发放对象准确率"): {"actual": "100%"},
    ("支内职工退休回沪定居人员帮困专项资金", "发放信息完整"): {"actual": "100%"},
    ("支内职工退休回沪定居人员帮困专项资金", "上报信息及时"): {"actual": "及时"},
    ("支内职工退休回沪定居人员帮困专项资金", "资金到位及时"): {"actual": "及时"},
    ("支内职工退休回沪定居人员帮困专项资金", "减轻本市支援外地建设"): {"actual": "加大帮扶力度，减轻生活困难"},
    ("支内职工退休回沪定居人员帮困专项资金", "保障中单厂"): {"actual": "已及时足额发放"},
    ("支内职工退休回沪定居人员帮困专项资金", "得益面广"): {"actual": "促进社会和谐稳定"},
    ("支内职工退休回沪定居人员帮困专项资金", "长效管理机制健全性"): {"actual": "健全"},
    ("支内职工退休回沪定居人员帮困专项资金", "提升对党和政府"): {
        "actual": "回访对象普遍表示认可",
        "tier": "达成",
        "points": 9.5,
    },
    ("上海市工人文化宫图书馆专项补贴", "图书、杂志添置计划完成率"): {"actual": "100%"},
    ("上海市工人文化宫图书馆专项补贴", "设施设备维护工作"): {"actual": "完成"},
    ("上海市工人文化宫图书馆专项补贴", "图书、杂志添置完成及时性"): {"actual": "完成"},
    ("上海市工人文化宫图书馆专项补贴", "预算执行率"): {"actual": "95%"},
    ("上海市工人文化宫图书馆专项补贴", "设施设备完好"): {"actual": "满意"},
    ("上海市工人文化宫图书馆专项补贴", "图书长效管理制度建设"): {"actual": "健全"},
    ("上海市工人文化宫图书馆专项补贴", "财务管理制度健全性"): {"actual": "健全"},
    ("劳模专项补助资金", "软件及第三方服务年度费用增长率"): {"actual": "6.8%"},
    ("劳模专项补助资金", "市劳模特殊困难帮扶劳模人次"): {"actual": "2,136"},
    ("劳模专项补助资金", "市劳模生活困难帮扶人次"): {"actual": 1018},
    ("劳模专项补助资金", "市劳模春节慰问金帮扶人次"): {"actual": "1.246万"},
    ("劳模专项补助资金", "发放准确率"): {"actual": "100%"},
    ("劳模专项补助资金", "发放及时性"): {"actual": "及时"},
    ("劳模专项补助资金", "劳模荣誉感"): {"actual": "提升"},
    ("劳模专项补助资金", "信息化系统数据处理能力"): {"actual": "100%"},
    ("劳模专项补助资金", "信息化系统数据存储能力"): {"actual": "100%"},
    ("劳模专项补助资金", "人力资源配置满足度"): {"actual": "100%"},
    ("劳模专项补助资金", "劳模满意度"): {"actual": "95.2%"},
    ("“五一”专项工作经费", "五一特别节目播出"): {"actual": "1场"},
    ("“五一”专项工作经费", "高清频道播出"): {"actual": "是"},
    ("“五一”专项工作经费", "五一特别节目完成及时性"): {"actual": "及时"},
    ("“五一”专项工作经费", "预算执行率"): {"actual": "88%", "reason": "节目制作采用自有设备，节约租赁费用。"},
    ("“五一”专项工作经费", "丰富本市劳动者"): {"actual": "提升"},
    ("“五一”专项工作经费", "演出上座率"): {"actual": "91%"},
    ("“五一”专项工作经费", "群众知晓度"): {"actual": "76%", "reason": "宣传渠道以电视为主，新媒体投放不足。"},
    ("“五一”专项工作经费", "参与人次较上年度有增长"): {"actual": "52,300人次", "last_year": "50,800人次"},
    ("“五一”专项工作经费", "参与人数较上年度有增长"): {
        "actual": "18,050人",
        "last_year": "18,000人",
        "reason": "场馆容量限制，人数增幅有限。",
    },
    ("“五一”专项工作经费", "群众满意度"): {"actual": "94%"},
    ("“五一”专项工作经费", "相关管理者满意度"): {"actual": "92%"},
    ("上海职工公共文化活动项目经费", "互动及赛事类职工公共文化活动完成数"): {"actual": "4项"},
    ("上海职工公共文化活动项目经费", "演出类职工公共文化活动完成数"): {"actual": 3},
    ("上海职工公共文化活动项目经费", "学习类职工公共文化活动完成数"): {"actual": 1},
    ("上海职工公共文化活动项目经费", "项目活动验收合格率"): {"actual": "100%"},
    ("上海职工公共文化活动项目经费", "互动及赛事类职工公共文化活动完成及时性"): {"actual": "及时"},
    ("上海职工公共文化活动项目经费", "演出类职工公共文化活动完成及时性"): {"actual": "及时"},
    ("上海职工公共文化活动项目经费", "学习类职工公共文化活动完成及时性"): {"actual": "及时"},
    ("上海职工公共文化活动项目经费", "预算执行率"): {"actual": "99.2%"},
    ("上海职工公共文化活动项目经费", "群众对市文化宫组织活动知晓率"): {"actual": "83%"},
    ("上海职工公共文化活动项目经费", "资金使用合规性"): {"actual": "合规"},
    ("上海职工公共文化活动项目经费", "财务管理制度健全性"): {"actual": "健全"},
    ("上海职工公共文化活动项目经费", "工作计划执行有效性"): {"actual": "有效"},
    ("上海职工公共文化活动项目经费", "长效管理机制健全性"): {"actual": "健全"},
    ("上海职工公共文化活动项目经费", "供应商考核机制健全性"): {"actual": "正在研究制定考核办法"},  # needs judgment
    ("上海职工公共文化活动项目经费", "群众对市文化宫活动举办满意度"): {"actual": "88.6分"},
    ("上海职工公共文化活动项目经费", "文化推广机制健全性"): {"actual": "健全"},
    ("上海职工公共文化活动项目经费", "受益人群投诉情况"): {"actual": "1.2%"},
    ("困难职工帮扶专项资金", "资金到位率"): {"actual": "100%"},
    ("困难职工帮扶专项资金", "困难职工信息完整率"): {"actual": "100%"},
    ("困难职工帮扶专项资金", "发放对象准确率"): {"actual": "100%"},
    ("困难职工帮扶专项资金", "资金发放准确率"): {"actual": "100%"},
    ("困难职工帮扶专项资金", "困难职工信息上报及时"): {"actual": "及时"},
    ("困难职工帮扶专项资金", "资金到位及时性"): {"actual": "及时"},
    ("困难职工帮扶专项资金", "被帮扶对象政策知晓率"): {"actual": "100%"},
    ("困难职工帮扶专项资金", "困难职工帮扶政策覆盖范围"): {"actual": "全市各区局(产业)工会"},
    ("困难职工帮扶专项资金", "困难职工帮扶政策知晓率"): {"actual": "89%"},
    ("困难职工帮扶专项资金", "困难职工帮扶形式接受程度"): {"actual": "91%"},
    ("困难职工帮扶专项资金", "困难职工帮扶系统健全性"): {"actual": "健全"},
    ("困难职工帮扶专项资金", "长效管理机制健全性"): {"actual": "健全"},
    ("困难职工帮扶专项资金", "困难职工帮扶满意度"): {"actual": "93%"},
}

# project → (全年预算数 when it differs from the declared 年度资金总额, 全年执行数), in 元.
BUDGETS: dict[str, tuple[float | None, float]] = {
    "上海市退休职工大学教育业务补助": (None, 405_320.00),
    "上海市退管会工作经费及尊老服务经费": (1_450_000.00, 1_395_000.00),
    "灵活就业群体工会会员项目经费": (None, 7_650_000.00),
    "上海市总工会专项业务经费": (None, 600_000.00),
    "上海市总工会房屋租赁费": (None, 800_000.00),
    "职工物价监督工作经费": (None, 296_500.00),
    "支内职工退休回沪定居人员帮困专项资金": (None, 1_498_200.00),
    "上海市工人文化宫图书馆专项补贴": (None, 68_400.00),
    "劳模专项补助资金": (None, 66_912_345.67),
    "“五一”专项工作经费": (None, 792_000.00),
    "上海职工公共文化活动项目经费": (None, 12_160_000.00),
    "困难职工帮扶专项资金": (None, 4_250_000.00),
}

COLUMNS = {"actual": 6, "last_year": 7, "tier": 8, "points": 9, "reason": 10, "cause": 11}


def build(output: Path = OUTPUT) -> Path:
    decl = read_declarations(TARGETS)
    write_actuals_template(decl, output)
    wb = load_workbook(output)
    ws = wb[ACTUALS_SHEET]
    used: set[tuple[str, str]] = set()
    for row in range(2, ws.max_row + 1):
        project, level3 = ws.cell(row, 1).value, ws.cell(row, 4).value or ""
        keys = [key for key in ACTUALS if key[0] == project and level3.startswith(key[1])]
        if len(keys) > 1:
            keys = [max(keys, key=lambda k: len(k[1]))]
        if not keys:
            continue
        used.add(keys[0])
        values = ACTUALS[keys[0]]
        for field, column in COLUMNS.items():
            if field in values:
                cell = ws.cell(row, column, values[field])
                if field == "actual" and values.get("percent"):
                    cell.number_format = "0.0%"
    unused = set(ACTUALS) - used
    if unused:
        raise SystemExit(f"样例数据中有未匹配的行：{sorted(unused)}")
    budget = wb[BUDGET_SHEET]
    total: dict[str, tuple[float, float]] = {}
    for row in range(2, budget.max_row + 1):
        project, fund = budget.cell(row, 1).value, budget.cell(row, 2).value
        adjusted, executed = BUDGETS[project]
        if fund == "年度资金总额":
            total[project] = (adjusted if adjusted is not None else budget.cell(row, 3).value, executed)
            budget.cell(row, 4, total[project][0])
            budget.cell(row, 5, executed)
        elif fund == "其中：当年财政拨款":  # every seed project is funded wholly by this year's appropriation
            budget.cell(row, 4, total[project][0])
            budget.cell(row, 5, total[project][1])
        else:
            budget.cell(row, 4, 0)
            budget.cell(row, 5, 0)
    guide = wb[GUIDE_SHEET]
    guide.insert_rows(1)
    guide.cell(1, 1, NOTICE)
    wb.properties.title = "年末实际完成值（虚构样例）"
    wb.properties.description = NOTICE
    wb.save(output)
    return output


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT))
