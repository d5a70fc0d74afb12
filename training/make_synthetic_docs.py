"""Write N short synthetic news documents (JSONL: id, text, date) for the memory test (issue 7.2).

Self-written templates and lexicons (no corpus text), deterministic for a seed, about 100-300
characters each. Slots are filled with varied names (random given names from a pool of about 600
characters, numbered branches, random amounts and dates) so that a long run keeps meeting strings it
has not seen before, as real news does; a few documents carry PDF-style line breaks and stray spaces.

    python training/make_synthetic_docs.py -n 100000 -o /tmp/docs100k.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Iterator

BANKS = ["湘江银行", "洞庭农商银行", "潇湘村镇银行", "岳麓农村商业银行", "芙蓉银行", "湖湘信用合作社", "南岳发展银行", "沅澧农信社"]
PLACES = ["长沙市", "岳阳县", "湘潭市雨湖区", "郴州市", "怀化市", "益阳市赫山区", "浏阳市", "衡东县", "常德市鼎城区", "永州市"]
GOVS = ["人民政府", "农业农村局", "财政局", "发展和改革委员会", "商务局", "科学技术局"]
SECTORS = ["小微企业", "稻虾养殖户", "新型农业经营主体", "科技型企业", "外贸企业", "茶叶种植户", "个体工商户", "家庭农场", "返乡创业人员"]
PROGRAMMES = ["稻虾贷", "茶农e贷", "园区快贷", "乡村振兴贷", "科创积分贷", "油茶贷", "外贸信用贷"]
TITLES = ["董事长", "行长", "党委书记", "副行长", "总经理", "局长", "副局长"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段欧阳"
GIVEN = (
    "建明晓岚立新平红梅卫东国华秀英志强海燕伟丽敏静军勇杰涛磊超鹏辉刚健波斌宇浩凯俊峰亮文武玉兰芳娟霞"
    "桂英春生德福荣贵金银水山林松柏竹梅菊莲荷桃李杏梨枫柳杨槐桑樟楠榕桐椿萍蓉芸芝芹茵莉蕾蓓薇琳琪瑶瑾璐"
    "珊瑜璇瑛琼琦琴瑞祥祯禄禧福寿康宁安泰和顺昌盛兴旺发达成功胜利光明清正廉洁忠诚信义礼智仁爱善良温恭俭让"
    "振兴中华复旦同济南开北辰东升西湖沅澧资湘潇衡岳韶峰麓雁鹤鸣鹏飞龙腾虎跃骏驰奔腾翔翼鸿鹄雀燕莺鹃鸥鹭"
    "晨曦朝霞夕照星辰月华云霄雨露霜雪冰凌雷电风涛澜潮汐浪涌泉溪涧潭湖泊洲渚屿岛岭峦丘壑谷川原野田园村庄"
    "钊铭锋锐钧铎镇钦铮锦绣纹绮缨绶纶纪纲维绪续绍绩综缘致远思源睿哲聪颖慧敏捷锐达通透彻悟觉醒惟怀恒"
)
TEMPLATES = [
    "{bank}{branch}向{place}{sector}发放贷款{amount}，支持当地产业发展。",
    "近日，{bank}{branch}推出“{prog}”，为{sector}提供最高{amount}的信用贷款。",
    "{bank}{title}{person}表示，今年将新增涉农贷款{amount}，重点投向{sector}。",
    "{person}任{bank}{branch}{title}。",
    "{place}{gov}与{bank}签署战略合作协议，未来五年提供意向授信{amount}。",
    "{place}{gov}联合{bank}推出“{prog}”，重点支持{sector}扩大生产。",
    "截至{month}月底，{bank}累计向{sector}投放{prog}{amount}，惠及农户{count}户。",
    "{place}{gov}{title}{person}介绍，全市已有{count}家{sector}获得{bank}的金融支持。",
]
HEADLINES = ["{bank}加大信贷投放", "金融活水润{place}", "{prog}助力{sector}增收", "{place}优化营商环境"]


def _name(rng: random.Random) -> str:
    surname = rng.choice(["欧阳", "司马"]) if rng.random() < 0.03 else rng.choice(SURNAMES[:-2])
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _amount(rng: random.Random) -> str:
    unit = rng.choice(["万元", "亿元", "万元", "元"])
    value = rng.randint(1, 9999) if unit != "亿元" else round(rng.uniform(0.1, 300), rng.choice((0, 1, 2)))
    return f"{value}{unit}"


def _fill(tmpl: str, rng: random.Random) -> str:
    return tmpl.format(
        bank=rng.choice(BANKS),
        branch=rng.choice(["", f"{rng.choice(PLACES)[:2]}分行", f"第{rng.randint(1, 300)}支行", "营业部"]),
        place=rng.choice(PLACES),
        gov=rng.choice(GOVS),
        sector=rng.choice(SECTORS),
        prog=rng.choice(PROGRAMMES),
        title=rng.choice(TITLES),
        person=_name(rng),
        amount=_amount(rng),
        month=rng.randint(1, 12),
        count=rng.randint(10, 99999),
    )


def _pdfify(text: str, rng: random.Random) -> str:
    """A PDF copy: a line break or a stray space somewhere inside the body."""
    i = rng.randrange(1, len(text))
    return text[:i] + rng.choice(["\n", " ", "\r\n"]) + text[i:]


def documents(n: int, seed: int = 7, min_chars: int = 100, max_chars: int = 300) -> Iterator[dict]:
    rng = random.Random(seed)
    for k in range(n):
        target = rng.randint(min_chars, max_chars)
        body = ""
        while len(body) < target:
            body += _fill(rng.choice(TEMPLATES), rng)
        body = body[: max_chars]
        if rng.random() < 0.2:
            body = _pdfify(body, rng)
        text = (_fill(rng.choice(HEADLINES), rng) + "\n" if rng.random() < 0.5 else "") + body
        yield {"id": f"syn-{k:06d}", "text": text, "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100_000, help="number of documents")
    ap.add_argument("-o", "--output", type=Path, help="JSONL file (default: stdout)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        for doc in documents(args.n, args.seed):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    main()
