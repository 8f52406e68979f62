"""Texts of the demo's records: lesson topics, reflections, papers, trainings. Pure: no Django.

Reflections are assembled from a small set of sentences, so their length (字数) can be steered
above or below the plan's 800 字; every choice comes from the caller's ``random.Random``.
"""

import random
import re

TOPICS: dict[str, list[str]] = {
    "语文": ["《春》", "《济南的冬天》", "《背影》", "《藤野先生》", "《岳阳楼记》", "《孔乙己》"],
    "数学": ["一元一次方程", "全等三角形", "勾股定理", "一次函数的图像", "二次函数", "圆周角"],
    "英语": ["Unit 3 阅读课", "Unit 5 听说课", "现在完成时", "书面表达指导", "Unit 7 写作课"],
    "物理": ["光的反射", "压强", "浮力", "欧姆定律", "机械效率"],
    "化学": ["走进化学实验室", "氧气的制取", "质量守恒定律", "溶液的酸碱性"],
    "道德与法治": ["认识自己", "友谊的天空", "法律保障生活", "维护公平正义"],
    "历史": ["秦统一中国", "贞观之治", "鸦片战争", "新中国的成立"],
    "地理": ["地球的运动", "中国的气候", "世界的人口", "河流与湖泊"],
    "生物": ["细胞是生命活动的基本单位", "光合作用", "人体的营养", "生物的遗传和变异"],
    "体育与健康": ["篮球行进间运球", "立定跳远", "50米快速跑", "排球垫球"],
    "音乐": ["《茉莉花》", "歌曲《送别》", "民族乐器欣赏", "节奏与节拍"],
    "美术": ["色彩的对比", "线描写生", "校园风景写生", "传统纹样设计"],
    "信息科技": ["数据的编码", "用算法解决问题", "网络安全", "物联网初探"],
}
CLASS_NO = range(1, 7)
GRADE_NAMES = ("七年级", "八年级", "九年级")
STUDENTS = ["小明", "小雨", "浩然", "思琪", "子涵", "一诺", "梓轩", "欣怡", "宇航", "雨桐"]

_OPENINGS = [
    "本周我在{klass}上了{topic}一课，课后反复回看教学设计，有几点体会想记录下来。",
    "{topic}是本单元的重点内容，这次在{klass}的教学让我对“三主”课堂有了新的认识。",
    "上完{topic}这节课，我的心情久久不能平静，既有收获，也有不少遗憾。",
    "结合本月教研组的听评课活动，我对自己执教的{topic}一课进行了梳理和反思。",
]
_BODY = [
    "课前我认真研读了课程标准和教材，把教学目标定位在让学生经历知识的形成过程上。",
    "导入环节我用一个生活中的问题引出课题，学生的兴趣一下子被调动起来，课堂气氛比较活跃。",
    "在小组合作环节，我把全班分成六个小组，每组四到六人，明确了组长、记录员和汇报员的分工。",
    "讨论时{student}提出了一个我课前没有预设到的问题，我没有急于给出答案，而是请其他同学来回应。",
    "这个生成性的问题恰恰触及了本课的难点，学生在争论中逐渐理清了思路，效果比我直接讲解要好。",
    "反思这一环节，我意识到教师要敢于放手，把思考的时间和空间真正还给学生。",
    "但是小组活动用时超出了预设，导致后面的巩固练习比较仓促，部分学生没有完成当堂检测。",
    "从检测的情况看，大约三分之一的学生对核心概念的理解还停留在表面，需要在下节课加以补救。",
    "我发现自己在提问时还存在问题过碎、过密的情况，有些问题学生不假思索就能回答，缺少思维含量。",
    "今后设计问题时要抓住主问题，用一两个有挑战性的问题带动整节课的学习。",
    "板书设计方面，我尝试用思维导图的形式呈现知识结构，学生课后反映这样更便于复习。",
    "{subject}教学不能只关注知识的传授，更要关注学生学习方法的指导和学习习惯的养成。",
    "课后我找了几位学困生单独交流，了解到他们主要是在审题和表达上存在困难。",
    "针对这一情况，我准备在作业设计上分层布置，基础题保底、提高题选做，让每个学生都有收获。",
    "听课的师傅指出，我在评价学生回答时语言比较单一，多是“很好”“不错”，缺少有针对性的反馈。",
    "这个建议对我触动很大，具体而有启发性的评价才能真正促进学生的思考。",
    "本节课我还尝试使用了希沃白板的课堂活动功能，课堂互动明显增多，但也要防止技术喧宾夺主。",
    "对比去年教授同一内容时的做法，这次我更注重情境的创设和问题链的设计。",
    "我体会到，好的课堂不是教师讲得多精彩，而是学生学得多主动、想得多深入。",
    "在巡视过程中，我注意到{student}所在的小组分工不够明确，个别学生处于旁观状态。",
    "下次开展合作学习前，我要先进行方法指导，并设计小组互评表，让每个人都有事可做。",
    "作业批改中暴露出的共性错误，我整理成了错题清单，准备在下周的讲评课上集中分析。",
    "这节课也让我重新思考了教学节奏的把握，张弛有度才能让学生始终保持专注。",
    "我把这节课的教学录像发到了教研组群里，请同组老师帮忙提意见，收到了很多中肯的建议。",
    "同组的老师建议我把拓展环节改为课后的实践作业，这样课堂上就有更充分的时间进行练习。",
    "总的来看，本节课的目标基本达成，学生的参与度较高，但在落实和反馈上还需要下功夫。",
]
_CLOSINGS = [
    "教学是一门遗憾的艺术，我会在反思中不断改进，让课堂更加扎实有效。",
    "以上是我的一点粗浅体会，今后还要多向身边的优秀教师学习，不断提升自己的教学水平。",
    "路漫漫其修远兮，我将继续在实践中探索，在反思中成长。",
]
_NON_SPACE = re.compile(r"\s+")


def chars(text: str) -> int:
    """Same count as ``keshi.records.services.count_chars`` (every non-space character)."""
    return len(_NON_SPACE.sub("", text))


def topic(rng: random.Random, subject: str) -> str:
    return rng.choice(TOPICS.get(subject) or TOPICS["语文"])


def klass(rng: random.Random, grade: int | None) -> str:
    g = GRADE_NAMES[grade if grade is not None else rng.randrange(3)]
    return f"{g}（{rng.choice(CLASS_NO)}）班"


def reflection(
    rng: random.Random, *, subject: str, lesson: str, where: str, target: int, short: bool
) -> tuple[str, str]:
    """(title, text) of a reflection: at least ``target`` 字, or — ``short`` — at most."""
    fill = {"topic": lesson, "klass": where, "subject": subject, "student": rng.choice(STUDENTS)}
    opening = rng.choice(_OPENINGS).format(**fill)
    closing = rng.choice(_CLOSINGS).format(**fill)
    body = [s.format(**fill) for s in rng.sample(_BODY, len(_BODY))]
    parts, size = [opening], chars(opening) + chars(closing)
    for sentence in body:
        if short and size + chars(sentence) > target:
            break
        if not short and size >= target:
            break
        parts.append(sentence)
        size += chars(sentence)
    parts.append(closing)
    paragraphs = ["".join(parts[i : i + 4]) for i in range(0, len(parts), 4)]
    title = rng.choice(["{topic}教学反思", "执教{topic}后的思考", "{topic}一课的得与失"])
    return title.format(**fill), "\n\n".join(paragraphs)


PAPER_TITLES = [
    "“三主”课堂理念下初中{subject}问题链设计的实践研究",
    "初中{subject}分层作业设计的探索与思考",
    "基于核心素养的{subject}大单元教学设计初探",
    "信息技术与初中{subject}教学深度融合的策略",
    "浅谈初中{subject}课堂中的小组合作学习",
]
PAPER_VENUES = [
    ("校级论文评比", "校级"),
    ("示范区教育学会年会论文评比", "区级"),
    ("市教育科研优秀成果评选", "市级"),
]
RETURN_COMMENTS = [
    "论文缺少教学案例和数据支撑，请补充后重新提交。",
    "格式不规范，请按学校论文模板修改摘要和参考文献。",
    "查重重复率偏高，请修改后重新提交。",
]


def paper(rng: random.Random, subject: str) -> tuple[str, str, dict]:
    title = rng.choice(PAPER_TITLES).format(subject=subject)
    venue, level = rng.choice(PAPER_VENUES)
    text = (
        f"摘要：本文结合本人在{subject}课堂教学中的实践，分析了当前教学中存在的问题，"
        "从教学设计、课堂组织和评价反馈三个方面提出了改进策略，并通过两轮教学实践检验了效果。"
        "实践表明，这些策略有助于提高学生的课堂参与度和学习效果。"
    )
    data = {"venue": venue, "level": level, "award": "", "published": "否"}
    return title, text, data


SCHOOL_TRAININGS = [
    "校本研修：新课标背景下的大单元教学",
    "校本研修：作业设计与“双减”落实",
    "校本研修：课堂观察量表的使用",
    "校本研修：教学反思怎样写",
    "校本研修：AI 工具在备课中的应用",
]
OUTSIDE_TRAININGS = [
    ("国家中小学智慧教育平台", "国家级", "暑期教师研修专题"),
    ("市教育科学研究院", "市级", "初中学科教学能力提升培训"),
    ("示范区教师发展中心", "区级", "信息技术应用能力提升工程2.0"),
    ("示范区教师发展中心", "区级", "班主任工作专题培训"),
    ("省教育厅", "省级", "心理健康教育网络培训"),
]
TRAINING_REPORTS = [
    "通过本次培训，我对新课标中核心素养的要求有了更系统的理解，回校后将在教研组内分享。",
    "培训中专家的案例分析很有启发，我准备在下一单元的教学设计中尝试运用。",
    "这次培训让我认识到评价方式改革的重要性，今后要把过程性评价落到实处。",
]

OBSERVATION_COMMENTS = [
    "教学目标明确，环节清晰，学生参与度高。建议练习环节再增加一些梯度。",
    "情境导入自然，问题设计有层次。小组合作的时间把控还可以更精准。",
    "教态亲切，板书规范。建议多给学困生展示的机会。",
    "重难点突破到位，学生思维活跃。课堂小结可以让学生自己来完成。",
]
GROUP_ACTIVITIES = [
    "集体备课：{topic}",
    "主题教研：新课标下的作业设计",
    "听评课：{topic}",
    "专题学习：课堂观察与评价",
    "教学质量分析与改进",
    "说课评课：{topic}",
]
BLOG_TITLES = ["{topic}教学随笔", "我的{subject}课堂小记", "读书摘记与感悟", "{topic}课件分享"]
