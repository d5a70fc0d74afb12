"""Generate Chinese regional-news-like documents (JSONL with id/text/date) from self-written templates.

For speed and scale-out measurements (issue 7) and tests: the text is synthetic (lexicons and
sentence templates written for this project, no corpus text), deterministic for a given seed, and of
realistic length (a headline plus several paragraphs, a few hundred to about two thousand characters).

    python training/make_synthetic_news.py -n 3000 -o training/output/synthetic_news.jsonl   # the command line
"""
from __future__ import annotations

import random
from typing import Dict, Iterator

CITIES = ["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底", "湘西"]
COUNTIES = ["浏阳", "宁乡", "醴陵", "湘乡", "耒阳", "武冈", "汨罗", "临湘", "津市", "沅江", "资兴", "洪江", "冷水江", "涟源",
            "平江", "华容", "安化", "桃源", "石门", "祁阳", "道县", "新化", "隆回", "攸县"]  # fmt: skip
BANKS = ["湘江银行", "潇湘农商银行", "星城银行", "洞庭村镇银行", "三湘发展银行", "芙蓉商业银行", "岳麓信用社", "南岭农村信用联社"]
BRANCH = ["分行", "支行", "营业部"]
AGENCIES = ["农业农村局", "发展和改革委员会", "工业和信息化局", "地方金融监督管理局", "乡村振兴局", "商务局", "科技局", "财政局"]
COMPANIES = ["湘北农业科技有限公司", "洞庭水产养殖合作社", "雪峰山茶业有限公司", "衡岳机械制造有限公司", "资江新材料股份有限公司",
             "武陵山中药材种植合作社", "湘南电子信息有限公司", "韶山文旅发展集团", "沅水物流有限公司", "南山牧业有限公司"]  # fmt: skip
PROGRAMMES = ["稻虾贷", "茶农贷", "乡村振兴贷", "科创贷", "助企纾困贷", "创业担保贷款", "惠农e贷", "油茶贷", "烤烟贷",
              "小微快贷", "新型农业经营主体贷款", "绿色信贷"]  # fmt: skip
SECTORS = ["小微企业", "养殖户", "种粮大户", "家庭农场", "农民专业合作社", "个体工商户", "科技型中小企业", "油茶种植户",
           "返乡创业青年", "外贸企业", "先进制造业", "文旅产业"]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "建国立新志强海波晓明丽华春生文军红梅德胜永平秋云家豪子涵宏伟振华玉兰国庆小龙湘桂俊杰淑芬卫东"
TITLES = ["行长", "副行长", "董事长", "总经理", "局长", "副局长", "主任", "党委书记", "县长", "副市长", "理事长"]
UNITS = ["万元", "亿元"]
CROPS = ["水稻", "油茶", "柑橘", "茶叶", "小龙虾", "生猪", "烤烟", "中药材", "蔬菜", "楠竹"]

HEADLINES = [
    "{bank}{city}{branch}推出“{prog}”助力{sector}发展",
    "{city}市{agency}：今年累计发放{prog}{money}",
    "{county}：金融活水润泽{crop}产业",
    "{company}获{bank}授信{money}",
    "{city}召开金融服务乡村振兴工作推进会",
]
SENTENCES = [
    "近日，{bank}{city}{branch}推出“{prog}”，面向{sector}提供最高额度{small}的信用贷款。",
    "截至{month}月末，{bank}已累计向{sector}发放贷款{money}，惠及{n}户。",
    "{city}市{agency}{title}{person}介绍，今年全市将安排专项资金{money}，重点支持{crop}产业。",
    "{bank}{title}{person}表示，下一步将继续加大对{sector}的信贷投放力度。",
    "{company}负责人{person}说，有了{bank}的{money}贷款，公司新建了两条生产线。",
    "在{county}，{prog}已覆盖{n}个行政村，户均贷款{small}。",
    "{county}县{agency}联合{bank}开展“送贷下乡”活动，现场为{n}名{sector}办理授信{money}。",
    "据了解，{prog}采取“银行+合作社+农户”模式，由{company}提供技术服务。",
    "{month}月{day}日，{city}市政府与{bank}签订战略合作协议，未来五年将提供意向性信贷资金{money}。",
    "今年以来，{city}{crop}种植面积达{n}万亩，带动{n2}户农民增收。",
    "{person}是{county}的一名{sector_one}，去年通过{prog}贷到{small}，扩大了{crop}种植规模。",
    "{bank}相关负责人介绍，该行对{sector}的贷款利率较去年下降{rate}个百分点。",
    "{agency}数据显示，全省{sector}贷款余额达{money}，同比增长{rate}%。",
    "会议要求，各级各部门要把服务{sector}作为重要任务，确保政策落地见效。",
    "{company}位于{county}工业园，主要从事{crop}深加工，年产值超过{money}。",
]
SECTOR_ONE = ["养殖户", "种粮大户", "返乡创业青年", "个体工商户", "家庭农场主"]


def _money(rng: random.Random, small: bool = False) -> str:
    if small:
        return f"{rng.choice([5, 10, 20, 30, 50, 100, 200])}万元"
    unit = rng.choice(UNITS)
    value = rng.randint(100, 9000) if unit == "万元" else round(rng.uniform(0.5, 80), rng.choice([0, 1, 2]))
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        bank=rng.choice(BANKS), branch=rng.choice(BRANCH), city=rng.choice(CITIES), county=rng.choice(COUNTIES),
        agency=rng.choice(AGENCIES), company=rng.choice(COMPANIES), prog=rng.choice(PROGRAMMES),
        sector=rng.choice(SECTORS), sector_one=rng.choice(SECTOR_ONE), crop=rng.choice(CROPS),
        title=rng.choice(TITLES), person=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
        money=_money(rng), small=_money(rng, small=True), n=rng.randint(3, 900), n2=rng.randint(1000, 90000),
        month=rng.randint(1, 12), day=rng.randint(1, 28), rate=rng.randint(1, 30),
    )  # fmt: skip


def make_article(rng: random.Random, min_chars: int = 300, max_chars: int = 1500) -> str:
    """One article: a headline line, then paragraphs of 2-5 sentences until about the target length."""
    target = rng.randint(min_chars, max_chars)
    lines = [_fill(rng.choice(HEADLINES), rng)]
    size = len(lines[0])
    while size < target:
        para = "".join(_fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(2, 5)))
        lines.append("　　" + para)
        size += len(para) + 3
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 7, min_chars: int = 300, max_chars: int = 1500) -> Iterator[Dict[str, str]]:
    """``n`` records {"id", "text", "date"}, deterministic for ``seed``."""
    rng = random.Random(seed)
    for i in range(n):
        yield {
            "id": f"syn-{i:06d}",
            "text": make_article(rng, min_chars, max_chars),
            "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }


__all__ = ["generate", "make_article"]
