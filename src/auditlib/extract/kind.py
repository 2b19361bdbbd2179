"""The document gate: what kind of document this is, decided from the whole text, with the reason.

Kinds: project (项目支出 or a fund's self-evaluation), department (部门/单位整体支出), table (a 自评表 on its
own), unknown (reads like a performance report but says neither way), and None: not a self-evaluation (a
部门决算 or 部门预算 document, an audit report). The title decides first; then the body's vocabulary.
Text reaches here in simplified script (ingest converts traditional script), so 績效自評 is 绩效自评.

The title decides where it names the kind, else the section headings (一、单位基本情况 or 一、项目概况), else
each list scores one point per entry found in the body.
Every phrase list below is data: each entry is (pattern, an example it must match), and the tests check
every example, so a new phrasing comes with its case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.ingest import Line
from auditlib.outline import Outline
from auditlib.vocabulary import CN_NUMERALS

# A title of a self-evaluation (or an evaluation report of the same family: 重点绩效评价).
SELF_EVALUATION_TITLE = (
    (r"自评", "2021年度项目支出绩效自评报告"),
    (r"绩效评价", "2018年度整体支出绩效评价报告"),
    (r"绩效(?:目标)?自[评价]", "县级专项资金绩效目标自评表"),
)
# A table of the targets set before the year (a 绩效目标表 or 申报表): it holds no result.
TARGETS_TABLE = (r"绩效目标(?:申报|审批|审核|批复)?表|目标申报表", "2023年度财政项目支出绩效目标批复表")
# A title of a document that is not a self-evaluation, although it talks about budgets.
OTHER_TITLE = (
    (r"决算(?:情况)?说明|决算公开|部门决算|决算报告|决算表", "2021年度部门决算情况说明"),
    (r"决算$", "2022年度某州法律援助中心决算"),
    # An evaluation a firm made under contract: a third party's report, not the unit's own.
    (r"受托|会计师事务所|第三方(?:机构)?(?:绩效)?评价", "某项目支出绩效后期评价报告（会计师事务所受托）"),
    (r"预算(?:情况)?说明|预算公开|部门预算|预算报告", "2022年本级预算情况说明"),
    (r"收支总表|收入总表|支出总表|财政拨款收支", "2021年部门收支总表"),
    (r"审计(?:工作)?报告|审计结果|审计决定", "关于2022年度本级预算执行和其他财政收支的审计报告"),
    # Targets set before the year, allocation notices, rectification.
    TARGETS_TABLE,
    (r"下达[^。]{0,40}(?:通知|函)$", "关于下达2023年第一批补助资金项目绩效目标的通知"),
    (r"整改(?:情况)?的?报告|事前绩效评估|绩效(?:运行|目标)?监控", "关于某项目绩效评价发现问题整改情况的报告"),
    # An evaluation before the money is spent (事前评价, 项目前评价) judges a plan, not a year's results.
    (r"事前(?:绩效)?评价|项目前评价", "某经费项目前评价报告"),
    # A second look at money already self-evaluated (绩效再评价), by the finance body or a firm it hires.
    (r"再评价", "某乡2023年产业项目绩效再评价报告"),
    # A project's targets published before the work (…预算安排及绩效目标情况公示): what is planned, no result.
    (r"(?:绩效目标|预算安排)[^。]{0,10}(?:公示|公开)", "某区2019年防治项目立项依据、预算安排及绩效目标情况公示"),
    # A budget's account of its projects and their targets for the coming year (…2025年项目及绩效目标情况).
    (r"项目及绩效目标情况$", "某县卫健委2025年项目及绩效目标情况"),
)
# A news item about evaluations (its headline reports an event) is not a report, even when it names one.
NEWS_TITLE = (
    (r"位列|荣获|获评|全力保障|召开|部署|举办|启动|扎实推进|稳步推进", "我市老旧小区改造资金绩效评价位列全省第一"),
    (r"^\S{0,12}(?:开展|组织开展)\S*绩效(?:自评|评价)(?:工作)?$", "市财政局开展2021年度项目绩效评价"),
    # One body visiting or evaluating another (到我县开展…, 对某区…开展审查和绩效评价), or the event's end reported.
    (r"(?:到|赴)(?:我|本)?\S{0,4}(?:县|市|区|镇|乡)开展\S*绩效评价", "省财政厅到我县开展专项资金绩效评价工作"),
    (r"对\S{2,30}(?:开展|进行)了?\S{0,8}绩效评价(?:工作)?$", "自治区某局对某区2022年度衔接资金开展审查和绩效评价"),
    (r"绩效(?:自评|评价)工作(?:圆满|顺利)完成$", "某中心2023年项目绩效评价工作圆满完成"),
    # One body helping another with the work, or the work done, as a headline (…配合某厅完成…绩效目标自评工作).
    (r"(?:配合|协助|完成)\S{0,40}(?:自评|绩效评价|绩效考评)工作$", "某院配合省厅完成2017年度专项转移支付绩效目标自评工作"),
    # A meeting about the work (…绩效评价交流会), or a finance bureau's news column (某市财政：…).
    (r"(?:绩效|自评|评价)\S{0,12}(?:交流会|座谈会|培训会|推进会|部署会|见面会|调度会|答疑会|会议)$", "某局开展部门整体支出绩效评价交流会"),
    (r"^\S{1,8}财政[:：]", "某市财政：项目绩效评价见实效"),
    # A finance body as the headline's subject, doing something (某省财政厅创新实施…): its own news.
    (r"^\S{0,12}财政(?:部|厅|局)(?:创新|启动|推进|加强|强化|提升|组织|召开|印发|出台|扎实|多措并举|全面|下达)",
     "某省财政厅创新实施四项机制提升绩效自评质效"),
    # A finance bureau publishing the results of evaluations it commissioned: a notice, not a report.
    (r"(?<!自)评价结果(?:公开|公示|通报)", "2021年市级项目绩效评价结果公开"),
)
# A news item's lead, in its first lines: the day (4月17日，…) or 近日 with what was done (财政部近日发布通知).
NEWS_LEAD = ((r"^\d{1,2}月\d{1,2}日[，,]", "4月17日，省考评组到某区开展项目绩效考评"),
             # the span of days a visit lasted (a report's dated sentences name one day: 2020年10月30日，中央…)
             (r"^(?:20\d\d年)?\d{1,2}月\d{1,2}日\s*[-—－至到]\s*\d{1,2}日[，,]", "2024年11月25日-29日，专家组来我省开展项目绩效评价"),
             (r"^\S{0,15}(?:近日|日前)[，,]?\S{0,6}(?:发布|印发|下发|召开|启动)", "财政部近日发布通知，启动项目支出绩效自评工作"))
NEWS_LEAD_LINES = 3
NEWS_BODY = ((r"记者|通讯员|本报讯|日报讯", "本报讯（记者 王某）"),
             # a wire's dateline (某网5月18日电 据…), never a sum for electricity (5月18日电费)
             (r"\d{1,2}月\d{1,2}日电(?=\s|[（(]|据|记者|[，,：:])", "某某网5月18日电 据财政部消息"),
             (r"来源[:：]\s*\S{0,12}(?:日报|晚报|新闻网)", "来源：某市日报  编辑：王某"))
# A notice asking for the work (关于开展…自评工作的通知) is the request, not a report, though its title says 自评.
NOTICE_TITLE = ((r"^关于[^。]{0,40}(?:工作|有关事项)的通知$", "关于开展2023年度项目支出绩效自评工作的通知"),)
# A notice says so in its opening, where its title is run together with the lines around it.
NOTICE_BODY = ((r"现将[^。；]{0,20}(?:事项|要求|工作安排)[^。；]{0,6}通知如下", "决定启动绩效评价工作。现将具体事项通知如下。"),
               (r"现(?:将[^。；]{0,40})?印发给你们", "我局制定了两个管理办法，现印发给你们，请认真贯彻执行。"))
# Rules (管理办法, 实施细则) open with their general provisions and say what they are made for.
REGULATION_BODY = ((r"^\s*第一章\s*总\s*则", "第一章 总 则"),
                   (r"制定本(?:办法|细则|规定|制度)", "结合学校预算绩效管理工作实际，制定本办法。"))
# A budget or final accounts disclosure explains its terms (名词解释): 财政拨款收入：指…
GLOSSARY_BODY = ((r"(?:财政拨款收入|“三公”经费|机关运行经费)\s*[:：]\s*(?:指|为保障)", "1.财政拨款收入:指单位从同级财政部门取得的财政预算资金。"),)
# The yearly public notice of how a lottery fund was used (彩票公益金使用情况公告) reports its projects, not an
# evaluation of them.
# A finance bureau circulating the results of the evaluations it organised (现将评价情况通报如下): a notice.
RESULTS_NOTICE_BODY = ((r"现将[^。；]{0,20}(?:评价|考评|复核)(?:情况|结果)[^。；]{0,4}通报如下",
                        "我局组织开展了重点项目绩效评价工作，现将评价情况通报如下"),)
ANNOUNCEMENT_BODY = ((r"公益金[^。；]{0,40}(?:使用情况|资助项目信息|项目信息)[^。；]{0,6}(?:公告|公示)",
                      "现将我单位2024年福利彩票公益金资助项目信息公告如下"),)
# A firm evaluating under contract says so in its opening: a third party's report, not the unit's own.
THIRD_PARTY_BODY = ((r"接受[^。；]{0,30}委托[^。；]{0,80}(?:绩效(?:后期)?评价|绩效评估)",
                     "某会计师事务所接受市财政局的委托，对市统计局实施的项目支出开展绩效后期评价"),
                    # A unit publishing the summary of an evaluation the finance bureau commissioned of its money.
                    (r"委托第三方(?:评价)?(?:机构|中介机构)?[^。；]{0,10}对(?:我|本)(?:单位|局|委|院|中心|部门|校|站|所)"
                     r"[^。；]{0,60}(?:开展|进行)[^。；]{0,6}(?:重点)?绩效评价",
                     "区财政局委托第三方机构对我单位负责的补助资金项目开展了重点绩效评价，绩效评价报告（摘要）如下"),
                    # An evaluation group the finance bureau set up, or one reviewing on top of the unit's own
                    # self-evaluation: the report is the group's, not the unit's.
                    (r"财政(?:局|厅)[^。；]{0,6}(?:组建|成立|组织)[^。；]{0,10}(?:评价|评估)(?:工作)?小?组[^。；]{0,6}对",
                     "区财政局组建评价小组对区文体局的场馆运行项目开展绩效评价"),
                    # The finance bureau evaluating (or visiting to evaluate) a unit's money: its report or news.
                    (r"财政(?:局|厅)(?:会同[^。；，,]{0,15})?(?:于[^。；，,对]{0,20})?(?:对|莅临)[^。；《》]{0,60}(?:进行|开展)了?[^。；《》]{0,10}"
                     r"(?:第三方|重点)?绩效(?:评价|评估)",
                     "近日，某市财政局对全市2019-2021年公共厕所改造项目进行了第三方绩效评价"),
                    # The finance bureau's contract with a firm, told among the evaluation's steps.
                    (r"财政(?:局|厅)?委托第三方(?:中介)?机构[^。；]{0,6}(?:独立)?(?:评价|评估)",
                     "单位自评。财政委托第三方中介机构独立评价，成立绩效评价小组"),
                    (r"在[^。；]{0,30}自评的基础上[，,]?[^。；]{0,10}(?:评价|评估)(?:工作)?小?组",
                     "在区文体局自评的基础上，评价小组对该局2019年度场馆运行项目进行了评价"),
                    # The evaluating firm telling how it worked (评价机构通过资料收集、实地调研…): a unit's own
                    # report names its 评价机构 only in the cover's field.
                    (r"评价机构(?:通过|采用|运用)[^。；]{0,20}(?:资料|案卷|实地|现场|问卷|访谈|座谈)",
                     "评价机构通过资料收集、案卷分析、实地调研等方式完成该项目的绩效评价工作"),
                    # A cover naming the firm that evaluated (评价机构：某咨询有限公司), as commissioned reports do.
                    (r"(?:评价|评估)(?:机构|单位)\s*[:：]\s*[^\s:：，。]{2,30}(?:公司|事务所)",
                     "委托单位：某区财政局 评价机构：某某商务咨询有限公司"),
                    # The cover's two fields together: who commissioned, who evaluated.
                    (r"评价机\s*构\s*[:：][^。]{0,200}?委托单位\s*[:：]|委托单位\s*[:：][^。]{0,200}?评价机\s*构\s*[:：]",
                     "评价机构 : 某社会组织培育中心 项目单位:某街道 委托单位:某街道办事处"),
                    # The national evaluation cover, sealed by the finance bureau that organised the evaluation.
                    (r"组织\s*单位\s*[(（]\s*盖章\s*[)）]\s*[:：]\s*\S{0,12}财政(?:局|厅)",
                     "组织方式: 财政部门 主管部门 组织单位(盖章): 某市财政局"),
                    # A unit that hired a firm to evaluate its money: the firm's report.
                    (r"委托了?[^。；，,]{0,30}(?:会计师事务所|咨询[^。；，,]{0,8}公司|评估[^。；，,]{0,8}公司)[^。；]{0,80}"
                     r"(?:评价|评估)",
                     "我局委托了某会计师事务所，于9月5日至9月25日对美丽乡村项目专项资金的使用情况进行了评价"),
                    # A firm's report number at the head of its report (某财正咨字〔2022〕第39号).
                    (r"^\S{1,8}(?:咨|评)字\s*[〔\[【(（]?\s*20\d\d", "湘财正咨字〔2022〕第39号"),)
# Body phrases only a self-evaluation uses (its standard headings and verdicts).
SELF_EVALUATION_BODY = (
    (r"绩效自评|自评(?:报告|工作|结论|结果|得分|情况|表)", "现将绩效自评情况报告如下"),
    (r"项目自评估(?:报告|工作)", "某灌区续建配套与节水改造项目自评估报告"),  # a project's own assessment, by the ministry's name
    (r"绩效评价(?:报告|结论|结果|工作|得分)", "绩效评价结果为良"),
    (r"绩效目标(?:完成|实现)情况", "二、绩效目标完成情况分析"),
    (r"绩效目标分解下达", "一、绩效目标分解下达情况"),
    (r"偏离绩效目标", "三、偏离绩效目标的原因和下一步改进措施"),
    (r"绩效指标完成情况", "（三）绩效指标完成情况分析"),
    (r"(?:评价|自评)得(?:分|\s*\d)|综合得分", "项目立项规范，自评得2分"),
    (r"(?:综合|自评)评价结论|绩效评价分析|项目绩效完成情况", "三、综合评价结论"),
    (r"自评(?:步骤|方法|依据|组织实施)", "（三）项目自评步骤及方法"),
)
# A 自评表 cut to its tail, with no word of self-evaluation left: the indicator rows and the form's closing fields
# (评价结论, 存在问题, the signatures) together. A 绩效目标表 has indicators but no conclusion.
TABLE_BODY = (
    (r"(?:产出|效益|满意度)指标", "产出指标数量指标足额保障率=100%"),
    (r"评价结论|自评结论", "合计100 评价结论及时足额缴纳"),
    (r"(?:项目|财务)负责人\s*[:：]", "项目负责人:财务负责人:"),
)
# The final accounts' summary of all its projects' self-evaluations (N个项目评为一等…，占项目总数比例…): a section
# of a 部门决算, not a self-evaluation, though it names 自评 throughout.
DIGEST_BODY = (
    (r"(?<!\d)\d{1,4}\s*个项目评为[一二三四]等", "21个项目评为一等，涉及资金656.93万元"),
    (r"占项目(?:总数|支出总额)比例", "占项目总数比例100%"),
)
# The contents of a final accounts document (目录 … 第二部分 2022年度部门决算情况说明 …), whatever it attaches.
ACCOUNTS_CONTENTS = (r"目\s*录[^。]{0,200}?决算(?:情况)?说明|部门决算\s*目\s*录",
                     "目录 第一部分单位概况……1 第二部分2022年度部门决算情况说明……2")
# Body phrases of final accounts, budgets and audits.
OTHER_BODY = (
    (r"收支(?:总计|总表)", "本部门2019年度收支总计1323.65万元"),
    (r"(?:与|比)\s*(?:上|\d{4})\s*年度?决算相比", "与2018年度决算相比"),
    (r"部门决算|决算公开|决算数", "2021年部门决算公开表"),
    (r"审计(?:发现|查出|指出)", "审计发现以下问题"),
    # An audit office's report on a year's budget execution (…审计局派出审计组，对…进行了审计).
    (r"(?:派出|组成)审计组|根据《中华人民共和国审计法》", "县审计局派出审计组，对2024年度县本级预算执行情况进行了审计"),
    (r"预算(?:收入|支出)预算数", "一般公共预算收入预算数162600万元"),
    # A project's budget application form (项目编号, 对应一级项目, 项目功能科目): targets asked for, no result.
    (r"对应一级项目|项目功能科目", "对应一级项目 | 城市基础设施配套费 | 项目功能科目 | 其他支出"),
)
# Words of a whole unit's spending (department) and of one project or fund (project).
DEPARTMENT_WORDS = (
    # (项目整体绩效 is a project's overall performance, not the unit's)
    (r"部门整体|整体支出|单位整体|(?<!项目)整体绩效|部门（单位）整体|部门\(单位\)整体|部门绩效(?:自评|评价)",
     "部门整体支出绩效自评报告"),
    (r"(?:部门|单位)基本情况|机构与职能|职能职责|部门职责|主要职能|机构设置|人员编制|编制\s*\d+\s*人",
     "一、单位基本情况（一）机构与职能"),
    (r"基本支出|人员经费|公用经费", "其中基本支出890.4万元"),
)
PROJECT_WORDS = (
    (r"项目支出绩效|项目绩效|项目自评|项目名称|项目概况|项目基本情况|项目资金", "一、项目概况"),
    (r"转移支付概况", "（一）转移支付概况"),  # the transfer payment's self-evaluation template
    (r"(?:专项|补助|转移支付|衔接|奖补)资金|专项经费|补助经费|工程", "中央财政补助资金绩效自评报告"),
    (r"绩效目标分解下达", "一、绩效目标分解下达情况"),
)
# The headings of a project's performance report, both needed: its overview and its targets.
PROJECT_HEADINGS = (
    (r"项目概况|项目基本情况", "（一）项目概况"),
    (r"绩效目标", "（二）项目绩效目标"),
)
# The headings of a unit's whole report, both needed: the unit's overview and its whole spending.
DEPARTMENT_HEADINGS = (
    (r"部门概况|单位概况|(?:部门|单位)基本情况", "一、部门概况"),
    (r"部门整体支出(?:情况|管理|绩效)", "（二）部门整体支出情况"),
)
# A 自评表 on its own: the form's title.
TABLE_TITLE = ((r"自评表|自评报告表|评价表|基础数据表", "2020年度县级专项资金绩效目标自评表"),)

TITLE_SCAN_LINES = 15  # excerpts start with a site's navigation: the title is among the first lines
MAX_TITLE_CHARS = 80
MIN_REPORT_TITLE_CHARS = 8  # 某局2030年绩效自评报告 names its subject; a sheet called 自评报告 does not
OPENING_SCAN_LINES = 30  # where a report says who evaluated: its opening, after a site's header
TITLE_WORDS = re.compile(r"报告|说明|自评|评价|考评|决算|预算|公开表|收支总表|审计|目标(?:审批|审核|批复)?表|申报表|通知|函$|公示|位列|荣获"
                         r"|绩效目标情况$")


@dataclass(frozen=True)
class KindDecision:
    """The kind of a document and why: the phrases that decided and the lines they stand on."""

    kind: str | None  # project | department | table | unknown | None (not a self-evaluation)
    reason: str  # in Chinese, for the finding and the memo
    lines: tuple[int, ...] = ()
    phrases: tuple[str, ...] = ()


def _compile(entries: tuple[tuple[str, str], ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern, _ in entries))


_SELF_TITLE, _OTHER_TITLE, _TABLE_TITLE = map(_compile, (SELF_EVALUATION_TITLE, OTHER_TITLE, TABLE_TITLE))
_SELF_BODY, _OTHER_BODY = _compile(SELF_EVALUATION_BODY), _compile(OTHER_BODY)
_TARGETS_TABLE = re.compile(TARGETS_TABLE[0])
_NEWS_TITLE, _NEWS_BODY, _THIRD_PARTY_BODY = _compile(NEWS_TITLE), _compile(NEWS_BODY), _compile(THIRD_PARTY_BODY)
_ANNOUNCEMENT_BODY, _NOTICE_TITLE = _compile(ANNOUNCEMENT_BODY), _compile(NOTICE_TITLE)
_ACCOUNTS_CONTENTS = re.compile(ACCOUNTS_CONTENTS[0])
_NEWS_LEAD, _RESULTS_NOTICE_BODY = _compile(NEWS_LEAD), _compile(RESULTS_NOTICE_BODY)
_NOTICE_BODY, _REGULATION_BODY = _compile(NOTICE_BODY), _compile(REGULATION_BODY)
_GLOSSARY_BODY = _compile(GLOSSARY_BODY)
# A whole unit's evaluation named anywhere (…整体支出绩效自评/评价…) makes the report a department's.
WHOLE_UNIT_EVALUATION = re.compile(r"整体支出绩效(?:自评|评价)|(?<!项目)整体绩效(?:自评|评价)")


ATTACHED_FILE = re.compile(r"^\s*附(?:件|表)?\s*[\d一二三四五六七八九十]*\s*[:：]|\.(?:xlsx?|docx?|pdf|wps|et)", re.IGNORECASE)
# A site's menu, or the disclosure column a page sits in (决算公开, 长沙市财政预算公开_站名): no year, no document.
NAVIGATION = re.compile(r"当前位置|您的位置|公开目录|栏目|首页\s*[>＞»]|[>＞»]\s*[^\s>＞»]+\s*[>＞»]"
                        r"|^[^\s\d。，,]{0,12}(?:预算|决算|预决算)公开(?:专栏|专题)?(?:$|\s*[_｜|—-])")


# A document-sharing site's header names the shared file: 《…自评报告.docx》由会员分享.
SHARED_FILE_TITLE = re.compile(r"《([^《》]{4,80}?)(?:\.(?:docx?|pdf|wps|xlsx?))?》由会员分享")


def title_lines(lines: list[Line]) -> list[Line]:
    """Short lines near the top that name the document (…报告, …说明, …表): not sentences, not headings; and the
    name of a shared file in a document-sharing site's header, as if it were a line of its own."""
    head = [line for line in lines if line.text][:TITLE_SCAN_LINES]
    named = [Line(match.group(1), line.source_lines, line.raw) for line in head
             if (match := SHARED_FILE_TITLE.search(line.text))]
    return [line for line in named + head if len(line.text) <= MAX_TITLE_CHARS and TITLE_WORDS.search(line.text)
            and line.text[-1] not in "。；;，," and not re.match(rf"[{CN_NUMERALS}]+、|[（(]", line.text)]


def _hits(pattern: re.Pattern, lines: list[Line]) -> list[tuple[str, int]]:
    return [(match.group(0), line.line) for line in lines for match in pattern.finditer(line.text)]


def _decided(kind: str | None, reason: str, hits: list[tuple[str, int]]) -> KindDecision:
    return KindDecision(kind, reason, tuple(dict.fromkeys(line for _, line in hits))[:5],
                        tuple(dict.fromkeys(phrase for phrase, _ in hits))[:5])


def _quoted(hits: list[tuple[str, int]]) -> str:
    return "、".join(f"“{phrase}”（第{line}行）" for phrase, line in list(dict.fromkeys(hits))[:3])


def decide_kind(outline: Outline) -> KindDecision:
    """Decide the kind of the document from its title and its whole text."""
    lines = [line for line in outline.document.lines if line.text]
    titles = title_lines(lines)
    self_title, other_title = _hits(_SELF_TITLE, titles), _hits(_OTHER_TITLE, titles)
    news = _hits(_NEWS_TITLE, titles) or _hits(_NEWS_BODY, lines) or _hits(_NEWS_LEAD, lines[:NEWS_LEAD_LINES])
    if news:
        return _decided(None, f"为新闻报道{_quoted(news)}，不是绩效自评报告", news)
    # A document-sharing page puts its own lines (pages, uploader, size) before the report's opening sentence.
    third_party = _hits(_THIRD_PARTY_BODY, lines[:OPENING_SCAN_LINES])
    if third_party:
        return _decided(None, f"为第三方机构受托评价{_quoted(third_party)}，不是单位绩效自评", third_party)
    notice = _hits(_NOTICE_TITLE, titles) or _hits(_NOTICE_BODY, lines[:OPENING_SCAN_LINES])
    if notice:
        return _decided(None, f"为工作通知{_quoted(notice)}，不是绩效自评报告", notice)
    announcement = _hits(_ANNOUNCEMENT_BODY, lines[:OPENING_SCAN_LINES])
    if announcement:
        return _decided(None, f"为资金使用情况公告{_quoted(announcement)}，不是绩效自评报告", announcement)
    results_notice = _hits(_RESULTS_NOTICE_BODY, lines[:OPENING_SCAN_LINES])
    if results_notice:
        return _decided(None, f"为评价结果通报{_quoted(results_notice)}，不是绩效自评报告", results_notice)
    regulation = _hits(_REGULATION_BODY, lines[:OPENING_SCAN_LINES])
    if regulation:
        return _decided(None, f"为管理办法等制度文件{_quoted(regulation)}，不是绩效自评报告", regulation)
    glossary = _hits(_GLOSSARY_BODY, lines)
    if glossary:
        return _decided(None, f"为预算或决算公开的名词解释{_quoted(glossary)}，不是绩效自评报告", glossary)
    accounts = [("目录……决算情况说明", line) for _, line in _hits(_ACCOUNTS_CONTENTS, lines[:OPENING_SCAN_LINES])[:1]]
    if accounts:
        return _decided(None, f"为决算文件，目录列有{_quoted(accounts)}，不是绩效自评报告", accounts)
    digest = _entries(DIGEST_BODY, lines)
    if len(digest) == len(DIGEST_BODY):
        return _decided(None, f"为部门决算中各项目绩效自评结果的汇总{_quoted(digest)}，不是绩效自评报告", digest)
    # The document's own title comes first; a self-evaluation table it lists or attaches comes after it. A site's
    # navigation (当前位置 > 预算/决算, 公开目录 | 部门预算) names the page's menu, not the document.
    own_other = _hits(_OTHER_TITLE, [line for line in titles if not NAVIGATION.search(line.text)])
    if other_title and not self_title or own_other and self_title and \
            _title_head(_OTHER_TITLE, own_other, titles) < _title_head(_SELF_TITLE, self_title, titles):
        return _decided(None, f"标题为{_quoted(other_title)}，不是绩效自评报告", other_title)
    self_body, other_body = _hits(_SELF_BODY, lines), _hits(_OTHER_BODY, lines)
    if not self_title and not self_body:
        if other_body:
            return _decided(None, f"文中为决算、预算或审计用语{_quoted(other_body)}，未见自评用语", other_body)
        headings = [outline.document.lines[section.index] for section in outline.sections]
        department = _entries(DEPARTMENT_HEADINGS, headings)
        if len(department) == len(DEPARTMENT_HEADINGS):
            return _decided("department", f"未见“自评”字样，小标题为部门整体支出报告的结构：{_quoted(department)}",
                            department)
        targets = _hits(_TARGETS_TABLE, lines)
        if targets:  # a notice carrying the targets set for the year holds no result
            return _decided(None, f"文中为绩效目标表{_quoted(targets)}，未见自评用语", targets)
        form_tail = _entries(TABLE_BODY, lines)
        if len(form_tail) == len(TABLE_BODY):
            return _decided("table", f"为自评表（指标栏、评价结论与负责人栏）：{_quoted(form_tail)}", form_tail)
        if re.search(r"绩效目标|绩效指标|执行率", outline.document.text):
            # The headings of a project report (一、基本情况（一）项目概况（二）项目绩效目标) say which it is.
            project = _entries(PROJECT_HEADINGS, headings)
            if len(project) == len(PROJECT_HEADINGS):
                return _decided("project", f"未见“自评”字样，小标题为项目支出绩效报告的结构：{_quoted(project)}",
                                project)
            return KindDecision("unknown", "文中有绩效目标或执行率，但未见“自评”“绩效评价”等用语，类型未能确定")
        return KindDecision(None, "未见“自评”“绩效评价”等用语，不是绩效自评报告")
    evidence = self_title or self_body
    table = _hits(_TABLE_TITLE, titles)
    # A report titled first (…自评报告) that holds or attaches its table (…自评表) is the report.
    attached = [hit for hit in table if any(line.line == hit[1] and ATTACHED_FILE.search(line.text) for line in titles)]
    if attached and self_title and min(line for _, line in self_title) < min(line for _, line in attached):
        table = []
    # (a title that names its subject: a sheet or a menu called 自评报告 names none)
    report_title = [line.line for line in titles if line.line in {hit_line for _, hit_line in self_title}
                    and "报告" in line.text and len(line.text) >= MIN_REPORT_TITLE_CHARS
                    and not NAVIGATION.search(line.text)]
    if table and report_title and min(report_title) < min(line for _, line in table):
        table = []
    if table:
        return _decided("table", f"标题为自评表{_quoted(table)}", table)
    headings = [outline.document.lines[section.index] for section in outline.sections]
    # A title naming a project's evaluation (…项目支出绩效自评报告) is one, though its body mentions the unit's
    # whole evaluation further on in passing (结合整体支出绩效自评清单); one mentioned above the title is the end
    # of the unit's own report, the project's attached below it.
    project_title = _entries(PROJECT_WORDS[:1], titles)
    whole_unit = _entries(DEPARTMENT_WORDS[:1], titles) or [
        hit for hit in _outside_quoted_titles(WHOLE_UNIT_EVALUATION, lines)[:1]
        if not project_title or hit[1] < project_title[0][1]]
    if whole_unit:  # 部门整体和项目支出绩效自评报告 covers the whole unit, its projects included
        return _decided("department", f"为部门整体支出自评：{_quoted(whole_unit)}", whole_unit)
    for scope, where in ((titles, "标题"), (headings, "小标题"), (lines, "正文")):
        # A title naming 人员经费 names a project of paying people (辅警人员经费), not the unit's whole spending.
        words = DEPARTMENT_WORDS[:2] if scope is titles else DEPARTMENT_WORDS
        department, project = _entries(words, scope), _entries(PROJECT_WORDS, scope)
        if len(department) > len(project):
            return _decided("department", f"{where}为部门整体支出自评：{_quoted(department)}", department)
        if project:
            return _decided("project", f"{where}为项目（资金）支出自评：{_quoted(project)}", project)
    return _decided("project", f"绩效自评，未写明部门整体支出，按项目支出审核：{_quoted(evidence)}", evidence)


def _outside_quoted_titles(pattern: re.Pattern, lines: list[Line]) -> list[tuple[str, int]]:
    """Hits not inside a quoted title (《关于开展部门整体支出绩效自评…的通知》 names a notice, not the report's scope)."""
    found = []
    for line in lines:
        for match in pattern.finditer(line.text):
            before = line.text[:match.start()]
            if before.rfind("《") <= before.rfind("》"):
                found.append((match.group(0), line.line))
    return found


def _title_head(pattern: re.Pattern, hits: list[tuple[str, int]], titles: list[Line]) -> tuple[int, int]:
    """Where a title names its kind: the first title line, and on it the end of the last name, negated. A Chinese
    title's head noun comes last (…绩效评价整改情况报告 is a rectification report), so of two names on one line the
    later one is the document's."""
    first = min(line for _, line in hits)
    text = next(line.text for line in titles if line.line == first)
    return first, -max(match.end() for match in pattern.finditer(text))


def _entries(entries: tuple[tuple[str, str], ...], lines: list[Line]) -> list[tuple[str, int]]:
    """The first hit of each entry that matches: an entry counts once, however often its words recur."""
    found = []
    for pattern, _ in entries:
        hits = _hits(re.compile(pattern), lines)
        if hits:
            found.append(hits[0])
    return found
