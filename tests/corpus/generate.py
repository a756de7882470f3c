#!/usr/bin/env python3
"""Writes the corpus of labelled app behaviours (tests/corpus/NN-name/).

Each case is one app behaviour seen in real financial apps and mini
programs: an app model for the simulated device (app.yaml), the scenario a
user would write for it (scenario.yaml) and the verdicts the four core rules
must give (expected.yaml). The cases are written out in full below, wording
and layout chosen per case as real apps vary them; this script only turns
each description into the three files, so that screens common to all apps
(home, menus, the policy text) are not copied 45 times by hand.

Run from the repository root: python3 tests/corpus/generate.py
Needs PyYAML (Debian: python3-yaml). The generated files are committed; the
test (tests/corpus.rs) reads them, not this script.
"""

import os
import shutil

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

SIZES = ["720x1280@320", "1080x2400@440", "1440x3200@560"]

ZH_POLICY_TEXT = [
    "本政策适用于本应用提供的全部产品和服务。我们深知个人信息对您的重要性，将按照法律法规的规定保护您的个人信息。",
    "一、我们如何收集和使用您的个人信息：在您注册账户、开立理财账户、进行转账时，我们会收集您的手机号码、身份证件信息和银行卡信息。",
    "二、我们如何共享、转让、公开披露您的个人信息：除法律法规规定的情形外，未经您的单独同意，我们不会向第三方提供您的个人信息。",
    "三、您的权利：您可以查阅、复制、更正、删除您的个人信息，撤回同意，注销账户。",
]
EN_POLICY_TEXT = [
    "This policy explains what personal information we collect when you use our services, why we collect it and how you can manage it.",
    "We collect your phone number and identity document when you open an account, and your location only with your permission.",
    "You can access, correct or delete your information and withdraw your consent at any time in Settings.",
]

DISTRACT_ZH = ["消息中心", "优惠活动", "客服热线", "账户安全", "常见问题", "邀请好友", "积分商城", "版本更新"]
DISTRACT_EN = ["Messages", "Coupons", "Help Center", "Invite Friends", "Rewards", "Notifications"]


def consent_screen(c, i):
    """The first-launch consent prompt."""
    k = c["consent"]
    items = [{"text": k["body"]}]
    for link in k.get("links", []):
        items.append({"link": link, "to": "policy" if "隐私" in link or "Privacy" in link else "terms"})
    if k.get("filler"):
        # A long consent text: the controls end up below the fold.
        for p in k["filler"]:
            items.append({"text": p})
    if k.get("checkbox"):
        items.append({"checkbox": k["checkbox"], "checked": bool(k.get("prechecked"))})
    agree = {"button": k["agree"], "action": "agree", "style": k.get("agree_style", "primary")}
    buttons = [agree]
    if k.get("refuse"):
        buttons.append(
            {"button": k["refuse"], "action": "refuse", "style": k.get("refuse_style", "secondary")}
        )
    if k.get("row"):
        items.append({"row": list(reversed(buttons)) if k.get("refuse_first") else buttons})
    else:
        items.extend(buttons)
    s = {
        "activity": ".SplashActivity",
        "consent": True,
        "title": k["title"],
        "items": items,
    }
    style = k.get("style", "dialog")
    if style == "dialog":
        s.update({"dialog": True, "over": "splash"})
    elif style == "sheet":
        s.update({"sheet": True, "over": "splash"})
    return s


def confirm_screen(c):
    k = c["confirm"]
    items = [{"text": k["body"]}]
    buttons = []
    for label, what in k["buttons"]:
        b = {"button": label}
        if what == "refuse":
            b.update({"action": "refuse", "style": k.get("refuse_style", "secondary")})
        elif what == "agree":
            b.update({"action": "agree", "style": "primary"})
        elif what == "back":
            b.update({"to": "consent", "style": "secondary"})
        buttons.append(b)
    if k.get("row"):
        items.append({"row": buttons})
    else:
        items.extend(buttons)
    return {
        "activity": ".SplashActivity",
        "dialog": True,
        "over": "splash",
        "title": k["title"],
        "items": items,
    }


def login_screen(c):
    k = c["login"]
    items = []
    if k.get("heading"):
        items.append({"heading": k["heading"]})
    if k.get("phone"):
        items.append({"input": k["phone"]})
    items.append({"checkbox": k["checkbox"], "checked": bool(k.get("prechecked"))})
    for link in k.get("links", []):
        items.append({"link": link, "to": "policy" if "隐私" in link or "Privacy" in link else "terms"})
    for b in k["buttons"]:
        items.append(
            {"button": b, "action": "agree", "style": "primary", "toast": k.get("toast", "请先阅读并勾选协议"),
             "to": "home"}
        )
    if k.get("way_out"):
        items.append({"button": k["way_out"], "style": "secondary", "to": "home"})
    s = {"activity": ".LoginActivity", "title": k.get("title", "登录"), "items": items}
    return s


def nav_screens(c, screens):
    """Home and the menus below it, down to the policy (and to the other
    agreement, and to a page that only links to the policy, when the case has them)."""
    en = c.get("lang") == "en"
    distract = DISTRACT_EN if en else DISTRACT_ZH
    paths = [(c["path"], c.get("policy_target", "policy"))]
    if c.get("terms_path"):
        paths.append((c["terms_path"], "terms"))
    tree = {}  # prefix tuple -> list of (label, target id)
    ids = {(): "home"}
    n = 0
    for path, leaf in paths:
        for depth, label in enumerate(path):
            prefix = tuple(path[:depth])
            kids = tree.setdefault(prefix, [])
            if depth == len(path) - 1:
                if not any(l == label for l, _ in kids):
                    kids.append((label, leaf))
            else:
                full = tuple(path[: depth + 1])
                if full not in ids:
                    n += 1
                    ids[full] = f"menu{n}"
                if not any(l == label for l, _ in kids):
                    kids.append((label, ids[full]))
    for prefix, kids in tree.items():
        sid = ids[prefix]
        title = c.get("home_title", "Home" if en else "首页") if sid == "home" else prefix[-1]
        items = []
        if sid == "home":
            items.append({"heading": c.get("home_heading", "Accounts" if en else "账户总览")})
        # Distractors first: real menus put the policy near the bottom.
        for j, d in enumerate(distract[(len(prefix) * 2) % len(distract):][:2]):
            items.append({"entry": d, "to": "empty"})
        for label, target in kids:
            items.append({"entry": label, "to": target})
        screens[sid] = {"activity": ".MainActivity" if sid == "home" else ".MenuActivity", "title": title,
                        "items": items}
    screens["empty"] = {"activity": ".MenuActivity", "title": "Coming soon" if en else "敬请期待",
                        "items": [{"text": "No content yet." if en else "暂无内容"}]}


def policy_screens(c, screens):
    en = c.get("lang") == "en"
    title = c.get("policy_title", "Privacy Policy" if en else "隐私政策")
    body = EN_POLICY_TEXT if en else ZH_POLICY_TEXT
    screens["policy"] = {
        "activity": ".PolicyActivity",
        "title": title,
        "items": [{"heading": c["label"] + (" Privacy Policy" if en else title)}] + [{"text": t} for t in body],
    }
    if c.get("policy_target") == "links":
        screens["links"] = {
            "activity": ".PolicyActivity",
            "title": c.get("links_title", "隐私政策"),
            "items": [
                {"entry": c.get("full_label", "《隐私政策》全文"), "to": "policy"},
                {"entry": "第三方信息共享清单", "to": "empty"},
                {"entry": "个人信息收集清单", "to": "empty"},
            ],
        }
    terms_title = c.get("terms_title", "Terms of Service" if en else "用户协议")
    screens["terms"] = {
        "activity": ".TermsActivity",
        "title": terms_title,
        "items": [{"heading": terms_title}, {"text": (
            "By using the app you agree to these terms of service, which govern your account and our services."
            if en else "欢迎您使用本应用。本协议是您与本公司之间关于使用本应用服务所订立的协议，请您仔细阅读。")}],
    }


def app_model(c):
    en = c.get("lang") == "en"
    mini = c.get("mini")
    m = {"package": "com.tencent.mm" if mini else c["package"], "label": c["label"]}
    if mini:
        m["launch_activity"] = ".plugin.appbrand.ui.AppBrandUI"
        m["deeplink"] = f"weixin://dl/business/?appid={c['appid']}"
        m["hierarchy"] = False
    else:
        m["launch_activity"] = ".SplashActivity"
    screens = {
        "splash": {"activity": ".SplashActivity", "title": c["label"],
                   "items": [{"heading": ("Welcome to " if en else "欢迎使用") + c["label"]}]},
    }
    if c.get("consent"):
        screens["consent"] = consent_screen(c, 0)
        m["first_screen"] = "consent"
    else:
        m["first_screen"] = "login"
    m["home_screen"] = c.get("home_screen", "home")
    m["after_agree"] = c.get("after_agree", "home")
    r = dict(c.get("on_refuse", {}))
    if c.get("confirm"):
        screens["confirm"] = confirm_screen(c)
        r["confirm"] = "confirm"
    r.setdefault("to", "basic")
    m["on_refuse"] = r
    if c.get("permissions"):
        m["permissions"] = c["permissions"]
    if c.get("look"):
        m["look"] = c["look"]
    m["appops"] = [{"op": "COARSE_LOCATION", "when": "consent"}]
    screens["basic"] = {
        "activity": ".MainActivity",
        "title": "Guest mode" if en else c.get("basic_title", "基础浏览模式"),
        "items": [{"text": "You can browse public content without an account." if en
                   else "您可以浏览公开的理财资讯，部分功能需同意隐私政策后使用。"},
                  {"entry": "Me" if en else "我的", "to": "guest_me"}],
    }
    screens["guest_me"] = {"activity": ".MineActivity", "title": "Me" if en else "我的",
                           "items": [{"entry": "Log in" if en else "登录/注册", "to": "login" if c.get("login") else "empty"}]}
    if c.get("login"):
        screens["login"] = login_screen(c)
    nav_screens(c, screens)
    policy_screens(c, screens)
    m["screens"] = screens
    if mini:
        for s in screens.values():
            s["activity"] = ".plugin.appbrand.ui.AppBrandUI"
    return m


def scenario(c):
    en = c.get("lang") == "en"
    s = {"name": f"{c['label']} ({c['title']})"}
    if c.get("mini"):
        s["app"] = {"host": "com.tencent.mm", "activity": ".plugin.appbrand.ui.AppBrandUI",
                    "deeplink": f"weixin://dl/business/?appid={c['appid']}"}
    else:
        s["app"] = {"package": c["package"], "activity": ".SplashActivity"}
    s["clear_data"] = True
    s["steps"] = c["steps"]
    return s


# Step templates a user would write.
OBSERVE = {"observe": {"duration": "2s", "interval": "500ms"}}
REFUSE_THEN_AGREE = ["launch", "refuse", OBSERVE, "stop", "launch", "agree", "explore_policy"]
REFUSE_TWICE = ["launch", "refuse", OBSERVE, "refuse", OBSERVE, "stop", "launch", "agree", "explore_policy"]
AGREE_ONLY = ["launch", "agree", "explore_policy"]
EXIT_THEN_AGREE = ["launch", "refuse", OBSERVE, "launch", "agree", "explore_policy"]

P = "pass"
F = "fail"
I = "inconclusive"

ZH_BODY = [
    "感谢您信任并使用{app}！我们依据相关法律法规制定了《用户协议》和《隐私政策》，请您在点击同意之前仔细阅读并充分理解相关条款。",
    "欢迎使用{app}。为向您提供账户查询、转账汇款等服务，我们需要收集您的设备信息和位置信息。您可阅读《隐私政策》了解详细信息。",
    "在您使用{app}前，请务必审慎阅读、充分理解《个人信息保护政策》各条款，包括我们收集个人信息的类型、用途及您的权利。",
    "我们非常重视您的个人信息保护。点击“同意”即表示您已阅读并同意《用户服务协议》与《隐私政策》。",
]
EN_BODY = [
    "Welcome to {app}. Before you start, please read our Terms of Service and Privacy Policy to learn how we handle your personal information.",
    "{app} collects your device information and location to provide account services. Read the Privacy Policy for details.",
]
FILLER = [
    "1. 我们收集的信息：在您注册账户、开立理财账户、绑定银行卡时，我们会收集您的姓名、手机号码、身份证件号码和银行卡号。",
    "2. 设备权限调用：为保障账户安全，我们会在获得您的同意后读取设备型号、操作系统版本、设备标识符等信息。",
    "3. 第三方SDK：为实现消息推送、一键登录等功能，我们接入了第三方SDK，具体请见《第三方信息共享清单》。",
    "4. 您的权利：您可以在“我的-设置-隐私设置”中查阅、更正、删除个人信息，撤回授权或注销账户。",
]


def case(**kw):
    return kw


def zh_consent(app, title="用户协议与隐私政策", agree="同意并继续", refuse="不同意", body=0, **kw):
    d = {"title": title, "body": ZH_BODY[body].format(app=app), "agree": agree, "refuse": refuse,
         "links": ["《用户协议》", "《隐私政策》"]}
    d.update(kw)
    return d


def en_consent(app, title="Privacy Policy", agree="Agree", refuse="Disagree", body=0, **kw):
    d = {"title": title, "body": EN_BODY[body].format(app=app), "agree": agree, "refuse": refuse,
         "links": ["Privacy Policy"]}
    d.update(kw)
    return d


def warm(title="温馨提示", body="若您不同意本隐私政策，很遗憾我们将无法为您提供完整服务。", refuse="仍不同意",
         agree="同意并继续", other=None, row=False):
    buttons = [(refuse, "refuse"), (agree, "agree")]
    if other:
        buttons.append((other, "back"))
    return {"title": title, "body": body, "buttons": buttons, "row": row}


CASES = [
    # ---- the refusal chain --------------------------------------------------
    case(id="01", name="compliant-basic-mode", title="refuse leads to basic mode", label="安信银行",
         package="com.corpus.anxin", about="clear 同意并继续 / 不同意, basic browsing mode after refusal",
         consent=zh_consent("安信银行"), path=["我的", "设置", "隐私政策"], steps=REFUSE_THEN_AGREE,
         expect=[P, P, P, P]),
    case(id="02", name="confirm-then-basic", title="one confirmation round, then basic mode", label="汇通证券",
         package="com.corpus.huitong",
         about="不同意 → 温馨提示 (仍不同意 / 同意并继续) → basic mode: one confirmation round is not a loop",
         consent=zh_consent("汇通证券", body=1), confirm=warm(), path=["我的", "关于我们", "隐私政策"],
         steps=REFUSE_THEN_AGREE, expect=[P, P, P, P]),
    case(id="03", name="confirm-loop", title="仍不同意 leads back to the consent dialog", label="鑫财理财",
         package="com.corpus.xincai",
         about="MIIT 164号 2.1 scene 4: 仍不同意 on the confirmation shows the consent dialog again, forever",
         consent=zh_consent("鑫财理财"), confirm=warm(other="查看协议"),
         on_refuse={"reprompt": "forever"}, path=["我的", "设置", "隐私政策"],
         steps=REFUSE_TWICE[:5] + ["agree", "explore_policy"], expect=[P, F, P, P]),
    case(id="04", name="confirm-exit", title="退出应用 on the confirmation closes the app", label="融易贷",
         package="com.corpus.rongyi",
         about="MIIT 164号 2.1 scene 1: refusing through the confirmation closes the app",
         consent=zh_consent("融易贷", title="个人信息保护提示", body=2),
         confirm=warm(title="提示", body="您需要同意《个人信息保护政策》才能使用本应用。", refuse="退出应用",
                      agree="去同意", row=True),
         on_refuse={"then": "exit"}, path=["我的", "设置", "个人信息保护政策"],
         policy_title="个人信息保护政策", steps=EXIT_THEN_AGREE, expect=[P, P, P, F]),
    case(id="05", name="confirm-kill", title="不同意并退出 kills the process", label="长盈基金",
         package="com.corpus.changying",
         about="refusing through 温馨提示 with 不同意并退出 kills the app's process",
         consent=zh_consent("长盈基金", agree="同意", refuse="暂不同意", row=True, refuse_first=True),
         confirm=warm(refuse="不同意并退出", agree="我再想想", row=True),
         on_refuse={"then": "kill"}, path=["我的", "隐私政策"], steps=EXIT_THEN_AGREE,
         expect=[P, P, P, F]),
    case(id="06", name="immediate-loop", title="the dialog comes back at once after every refusal",
         label="快贷宝", package="com.corpus.kuaidai",
         about="MIIT 164号 2.1 scene 4: no confirmation, the same dialog again at once",
         consent=zh_consent("快贷宝", body=3, links=["《用户服务协议》", "《隐私政策》"]),
         on_refuse={"reprompt": "forever"}, path=["我的", "设置", "隐私政策"],
         steps=["launch", "refuse", OBSERVE, "refuse", OBSERVE, "agree", "explore_policy"],
         expect=[P, F, P, P]),
    case(id="07", name="delayed-loop", title="the dialog comes back 2 s after each refusal",
         label="盛世保险", package="com.corpus.shengshi",
         about="basic mode shows, then the consent dialog pops up again a moment later, every time",
         consent=zh_consent("盛世保险"), on_refuse={"reprompt": "forever", "reprompt_delay_ms": 1500},
         path=["我的", "设置", "隐私政策"],
         steps=["launch", "refuse", OBSERVE, "refuse", OBSERVE, "agree", "explore_policy"],
         expect=[P, F, P, P]),
    case(id="08", name="reprompt-once", title="the dialog asks once more, then basic mode",
         label="顺达银行", package="com.corpus.shunda",
         about="the consent dialog shown a second time as its own confirmation, then basic mode",
         consent=zh_consent("顺达银行", body=1), on_refuse={"reprompt": 1}, path=["我的", "设置", "隐私政策"],
         steps=REFUSE_TWICE, expect=[P, P, P, P]),
    case(id="09", name="reprompt-on-relaunch", title="asks again only when reopened", label="信达证券",
         package="com.corpus.xinda",
         about="MIIT 164号 2.1 scene 6 pattern: the refused dialog returns on every relaunch, never by itself (not a popup loop)",
         consent=zh_consent("信达证券", body=2), on_refuse={"reprompt_on_launch": True},
         path=["我的", "关于我们", "隐私政策"],
         steps=["launch", "refuse", OBSERVE, "launch", "refuse", OBSERVE, "launch", "agree", "explore_policy"],
         expect=[P, P, P, P]),
    case(id="10", name="refuse-once-then-agree", title="stop at the confirmation and agree there",
         label="永利财富", package="com.corpus.yongli",
         about="refuse: {through_confirmations: false}: the user stops at 温馨提示 and agrees there",
         consent=zh_consent("永利财富"), confirm=warm(other="查看协议"), path=["我的", "设置", "隐私政策"],
         steps=["launch", {"refuse": {"through_confirmations": False}}, OBSERVE, "agree", "explore_policy"],
         expect=[P, P, P, P]),
    case(id="11", name="toast-then-exit", title="a toast, then the app closes", label="金穗钱包",
         package="com.corpus.jinsui",
         about="refusal shows the toast 需同意后才能使用 and the app finishes",
         consent=zh_consent("金穗钱包", refuse="不同意并退出", row=True, refuse_first=True),
         on_refuse={"then": "exit", "toast": "需同意隐私政策后才能使用"}, path=["我的", "设置", "隐私政策"],
         steps=EXIT_THEN_AGREE, expect=[P, P, P, F]),
    # ---- explicit consent ----------------------------------------------------
    case(id="12", name="vague-only", title="only 我知道了", label="通宝支付", package="com.corpus.tongbao",
         about="MIIT 164号 1.1 scene 7: the only way on is 我知道了",
         consent=zh_consent("通宝支付", title="温馨提示", agree="我知道了", refuse=None),
         path=["我的", "设置", "隐私政策"], steps=AGREE_ONLY, expect=[F, I, P, I]),
    case(id="13", name="vague-with-refuse", title="好的 beside 不同意", label="华信理财",
         package="com.corpus.huaxin", about="MIIT 164号 1.1 scene 7: 好的 is an acknowledgement, not consent",
         consent=zh_consent("华信理财", agree="好的", row=True, refuse_first=True),
         path=["我的", "隐私政策"], steps=REFUSE_THEN_AGREE, expect=[F, P, P, P]),
    case(id="14", name="prechecked-dialog", title="consent box ticked in the dialog", label="中泰证券",
         package="com.corpus.zhongtai", about="MIIT 164号 1.1 scene 8: 默认勾选 in the first-launch dialog",
         consent=zh_consent("中泰证券", checkbox="我已阅读并同意《用户协议》和《隐私政策》", prechecked=True),
         path=["我的", "设置", "隐私政策"], steps=REFUSE_THEN_AGREE, expect=[F, P, P, P]),
    case(id="15", name="shrunk-refuse", title="a tiny pale 不同意", label="大丰银行",
         package="com.corpus.dafeng", about="7.1(c) 缩小文字: the refuse option is a small pale text",
         consent=zh_consent("大丰银行", refuse_style="faint"), path=["我的", "设置", "隐私政策"],
         steps=REFUSE_THEN_AGREE, expect=[F, P, P, P]),
    case(id="16", name="unticked-dialog-box", title="an unticked box in the dialog", label="国元信托",
         package="com.corpus.guoyuan", about="the dialog's consent box starts unticked; agree ticks it first",
         consent=zh_consent("国元信托", checkbox="我已阅读并同意上述协议"), path=["我的", "设置", "隐私政策"],
         steps=REFUSE_THEN_AGREE, expect=[P, P, P, P]),
    # ---- login-page consent ----------------------------------------------------
    case(id="17", name="login-prechecked", title="login page with a ticked consent box", label="惠民贷",
         package="com.corpus.huimin",
         about="MIIT 164号 1.1 scene 8: 我已阅读并同意 ticked above 本机号码一键登录",
         consent=None,
         login={"title": "登录", "heading": "欢迎登录惠民贷", "checkbox": "我已阅读并同意《用户协议》《隐私政策》",
                "prechecked": True, "buttons": ["本机号码一键登录"], "way_out": "暂不登录"},
         path=["我的", "设置", "隐私政策"], steps=["launch", "refuse", OBSERVE, "explore_policy"],
         expect=[F, P, P, P]),
    case(id="18", name="login-unticked-skip", title="login page, unticked box, 跳过", label="易贷通",
         package="com.corpus.yidai", about="consent only on the login page, box unticked, 跳过 to browse",
         consent=None,
         login={"title": "手机号登录", "phone": "请输入手机号", "checkbox": "我已阅读并同意《服务协议》和《隐私政策》",
                "buttons": ["登录/注册"], "way_out": "跳过"},
         path=["我的", "关于", "隐私政策"], steps=["launch", "refuse", OBSERVE, "explore_policy"],
         expect=[P, P, P, P]),
    case(id="19", name="login-after-dialog-prechecked", title="compliant dialog, then a ticked login box",
         label="金信证券", package="com.corpus.jinxin",
         about="a compliant first-launch dialog, but the login page behind 我的 has its box ticked",
         consent=zh_consent("金信证券"),
         login={"title": "登录", "phone": "请输入手机号码", "checkbox": "已阅读并同意《金信证券隐私政策》",
                "prechecked": True, "buttons": ["登录"], "way_out": "游客浏览"},
         path=["我的", "设置", "隐私政策"],
         steps=["launch", "refuse", OBSERVE, {"tap": "我的"}, {"tap": "登录/注册"}, "refuse", "stop", "launch",
                "agree", "explore_policy"],
         expect=[F, P, P, P]),
    case(id="20", name="login-unticked-guest", title="login page reached from basic mode, 随便看看",
         label="安和保险", package="com.corpus.anhe",
         about="basic mode after refusal; its login page asks consent with an unticked box and offers 随便看看",
         consent=zh_consent("安和保险", body=1),
         login={"title": "登录", "heading": "一键登录更便捷", "checkbox": "我已阅读并同意《用户协议》及《隐私政策》",
                "buttons": ["本机号码一键登录", "其他手机号登录"], "way_out": "随便看看"},
         path=["我的", "设置", "隐私政策"],
         steps=["launch", "refuse", OBSERVE, {"tap": "我的"}, {"tap": "登录/注册"}, "refuse", "stop", "launch",
                "agree", "explore_policy"],
         expect=[P, P, P, P]),
    # ---- the privacy policy, not another agreement -----------------------------------
    case(id="21", name="policy-five-deep", title="the policy 5 taps deep", label="远航基金",
         package="com.corpus.yuanhang", about="7.1(d): the privacy policy is 5 taps from home",
         consent=zh_consent("远航基金"), path=["我的", "设置", "关于我们", "法律条款", "隐私政策"],
         steps=REFUSE_THEN_AGREE, expect=[P, P, F, P]),
    case(id="22", name="agreement-shallow-policy-deep", title="用户协议 in 2 taps, the policy in 5",
         label="宏利银行", package="com.corpus.hongli",
         about="a user agreement is near the top, the privacy policy itself is 5 taps deep",
         consent=zh_consent("宏利银行"), terms_path=["我的", "用户协议"],
         path=["我的", "设置", "关于我们", "法律声明", "隐私政策"], steps=REFUSE_THEN_AGREE,
         expect=[P, P, F, P]),
    case(id="23", name="links-page-then-text", title="a page of links, the text one tap further",
         label="瑞丰理财", package="com.corpus.ruifeng",
         about="设置 › 隐私政策 lists documents; the policy's text is one tap further (4 in all)",
         consent=zh_consent("瑞丰理财"), path=["我的", "设置", "隐私政策"], policy_target="links",
         steps=REFUSE_THEN_AGREE, expect=[P, P, P, P]),
    case(id="24", name="links-page-too-deep", title="the links page at 4 taps, the text at 5",
         label="恒通证券", package="com.corpus.hengtong",
         about="a page titled 隐私政策 that only links to the policy is 4 taps deep; the text is the 5th",
         consent=zh_consent("恒通证券"), path=["我的", "设置", "关于", "隐私政策"], policy_target="links",
         steps=REFUSE_THEN_AGREE, expect=[P, P, F, P]),
    case(id="25", name="only-terms", title="only a service agreement in reach", label="聚财宝",
         package="com.corpus.jucai", about="服务协议 is 2 taps away, the privacy policy is not reachable at all",
         consent=zh_consent("聚财宝"), terms_path=["我的", "服务协议"], terms_title="服务协议",
         path=["我的", "设置", "账户与安全", "更多", "隐私政策"], steps=REFUSE_THEN_AGREE,
         expect=[P, P, F, P]),
    case(id="26", name="protection-guide", title="个人信息保护指引 two taps away", label="民丰银行",
         package="com.corpus.minfeng", about="the policy under another of its names",
         consent=zh_consent("民丰银行", title="个人信息保护指引", body=2), path=["我的", "个人信息保护指引"],
         policy_title="个人信息保护指引", steps=REFUSE_THEN_AGREE, expect=[P, P, P, P]),
    # ---- scrolling --------------------------------------------------------------------
    case(id="27", name="long-dialog", title="buttons below the fold of a long dialog", label="富邦证券",
         package="com.corpus.fubang", about="a consent text longer than the screen: agree and refuse need a scroll",
         consent=zh_consent("富邦证券", filler=FILLER), path=["我的", "设置", "隐私政策"],
         steps=REFUSE_THEN_AGREE, expect=[P, P, P, P], screen="720x1280@320"),
    case(id="28", name="long-dialog-prechecked", title="a ticked box below the fold", label="泰和保险",
         package="com.corpus.taihe", about="the ticked consent box shows only after scrolling",
         consent=zh_consent("泰和保险", filler=FILLER, checkbox="我已阅读并同意以上全部条款", prechecked=True),
         path=["我的", "设置", "隐私政策"], steps=REFUSE_THEN_AGREE, expect=[F, P, P, P],
         screen="720x1280@320"),
    case(id="29", name="long-dialog-loop", title="a long dialog that comes back", label="天瑞金融",
         package="com.corpus.tianrui", about="a scrolling consent dialog shown again after every refusal",
         consent=zh_consent("天瑞金融", filler=FILLER[:3]), on_refuse={"reprompt": "forever"},
         path=["我的", "设置", "隐私政策"],
         steps=["launch", "refuse", OBSERVE, "refuse", OBSERVE, "agree", "explore_policy"],
         expect=[P, F, P, P], screen="720x1280@320", theme="dark"),
    # ---- permission dialogs -------------------------------------------------------------
    case(id="30", name="aosp-permission-after-consent", title="Android's location dialog after agreeing",
         label="益民银行", package="com.corpus.yimin",
         about="after 同意 the system asks for location (AOSP look); the user denies; nothing breaks",
         consent=zh_consent("益民银行"), permissions=[{"permission": "location", "when": "consent", "style": "aosp"}],
         path=["我的", "设置", "隐私政策"],
         steps=["launch", "refuse", OBSERVE, "stop", "launch", "agree", "refuse", "explore_policy"],
         expect=[P, P, P, P]),
    case(id="31", name="miui-permission-at-launch", title="MIUI's permission sheet at start-up",
         label="兴隆证券", package="com.corpus.xinglong",
         about="the phone permission asked at launch in MIUI's sheet, before the consent dialog",
         consent=zh_consent("兴隆证券", body=1), permissions=[{"permission": "phone", "when": "launch", "style": "miui"}],
         path=["我的", "设置", "隐私政策"],
         steps=["launch", "refuse", "refuse", OBSERVE, "stop", "launch", "agree", "explore_policy"],
         expect=[P, P, P, P]),
    # ---- layouts and looks ----------------------------------------------------------------
    case(id="32", name="bottom-sheet-outlined", title="a bottom sheet with outlined pill buttons",
         label="新安银行", package="com.corpus.xinan", about="consent as a bottom sheet, 拒绝 / 同意 side by side",
         consent=zh_consent("新安银行", style="sheet", agree="同意", refuse="拒绝", row=True, refuse_first=True),
         look={"buttons": "outlined", "shape": "pill"}, path=["我的", "设置", "隐私政策"],
         steps=REFUSE_THEN_AGREE, expect=[P, P, P, P]),
    case(id="33", name="full-page-text-buttons", title="a full-page notice with text-only buttons",
         label="鼎盛资本", package="com.corpus.dingsheng", about="the consent is a page, not a dialog",
         consent=zh_consent("鼎盛资本", style="page", title="个人信息保护指引", agree="同意并进入",
                            refuse="不同意", body=2),
         look={"buttons": "text"}, path=["我的", "设置", "隐私政策"], steps=REFUSE_THEN_AGREE,
         expect=[P, P, P, P]),
    case(id="34", name="noto-rounded", title="Noto font, rounded buttons", label="博瑞财富",
         package="com.corpus.borui", about="Android's own CJK font and rounded corners",
         consent=zh_consent("博瑞财富", agree="同意并使用", refuse="暂不使用", row=True, refuse_first=True),
         look={"font": "noto", "shape": "rounded"}, path=["我的", "设置", "隐私政策"],
         steps=REFUSE_THEN_AGREE, expect=[P, P, P, P]),
    case(id="35", name="zenhei-confirm-exit", title="Zen Hei font; confirmation, then exit", label="华富期货",
         package="com.corpus.huafu", about="a differently drawn app whose confirmation closes it",
         consent=zh_consent("华富期货", body=3, links=["《用户服务协议》", "《隐私政策》"]),
         confirm=warm(title="温馨提示", refuse="不同意并退出", agree="同意并继续"),
         on_refuse={"then": "exit"}, look={"font": "zenhei", "shape": "rounded"}, path=["我的", "隐私政策"],
         steps=EXIT_THEN_AGREE, expect=[P, P, P, F]),
    # ---- English -------------------------------------------------------------------------
    case(id="36", name="en-compliant", title="English, Agree / Disagree", label="NovaBank",
         package="com.corpus.novabank", lang="en", about="an English app with a clear choice",
         consent=en_consent("NovaBank"), path=["Me", "Settings", "Privacy Policy"], steps=REFUSE_THEN_AGREE,
         expect=[P, P, P, P]),
    case(id="37", name="en-got-it", title="English, only Got it", label="QuickPay",
         package="com.corpus.quickpay", lang="en", about="MIIT 164号 1.1 scene 7 in English: only Got it",
         consent=en_consent("QuickPay", title="Your privacy", agree="Got it", refuse=None, body=1),
         path=["Me", "Privacy Policy"], steps=AGREE_ONLY, expect=[F, I, P, I]),
    case(id="38", name="en-confirm-exit", title="English, Decline → Exit app", label="FinEdge",
         package="com.corpus.finedge", lang="en", about="Decline asks 'Are you sure?' and Exit app closes it",
         consent=en_consent("FinEdge", agree="Accept", refuse="Decline"),
         confirm={"title": "Are you sure?", "body": "Without your consent we cannot provide our services.",
                  "buttons": [("Exit app", "refuse"), ("Accept", "agree")]},
         on_refuse={"then": "exit"}, path=["Me", "Privacy Policy"], steps=EXIT_THEN_AGREE,
         expect=[P, P, P, F]),
    case(id="39", name="en-login-prechecked", title="English login, box ticked", label="CoinNest",
         package="com.corpus.coinnest", lang="en", about="the login page's I have read and agree box is ticked",
         consent=None,
         login={"title": "Log in", "phone": "Phone number", "checkbox": "I have read and agree to the Privacy Policy",
                "prechecked": True, "buttons": ["Log in"], "way_out": "Skip", "toast": "Please accept first"},
         path=["Me", "Settings", "Privacy Policy"], steps=["launch", "refuse", OBSERVE, "explore_policy"],
         expect=[F, P, P, P]),
    case(id="40", name="en-privacy-notice", title="English, Privacy Notice two taps away", label="Harbor Trust",
         package="com.corpus.harbor", lang="en", about="the policy under the name Privacy Notice",
         consent=en_consent("Harbor Trust", title="Privacy Notice", agree="Accept", refuse="Reject", row=True,
                            refuse_first=True, links=["Privacy Notice"]),
         path=["Me", "Privacy Notice"], policy_title="Privacy Notice", steps=REFUSE_THEN_AGREE,
         expect=[P, P, P, P]),
    # ---- mini programs -----------------------------------------------------------------------
    case(id="41", name="mini-compliant", title="mini program, 拒绝 / 同意, stays open", label="招财小程序",
         mini=True, appid="wxc0rpus0041", about="a WeChat mini program whose refusal keeps it open",
         consent=zh_consent("招财小程序", title="用户隐私保护提示", agree="同意", refuse="拒绝", row=True,
                            refuse_first=True, links=["《小程序隐私保护指引》"]),
         path=["我的", "隐私保护指引"], policy_title="隐私保护指引",
         steps=["launch", "refuse", OBSERVE, "stop", "launch", "agree", "explore_policy"], expect=[P, P, P, P]),
    case(id="42", name="mini-close", title="mini program closes itself after 拒绝", label="惠存小程序",
         mini=True, appid="wxc0rpus0042", about="the mini program closes back to WeChat after refusal",
         consent=zh_consent("惠存小程序", title="个人信息保护提示", agree="同意", refuse="拒绝", row=True,
                            refuse_first=True, links=["《隐私保护指引》"]),
         on_refuse={"then": "close"}, path=["我的", "隐私保护指引"], policy_title="隐私保护指引",
         steps=["launch", "refuse", OBSERVE, "launch", "agree", "explore_policy"], expect=[P, P, P, F]),
    case(id="43", name="mini-loop", title="mini program asks again at once, forever", label="速贷小程序",
         mini=True, appid="wxc0rpus0043", about="a mini program that re-shows its authorization after every 拒绝",
         consent=zh_consent("速贷小程序", title="用户隐私保护提示", agree="同意", refuse="拒绝", row=True,
                            refuse_first=True, links=["《隐私保护指引》"]),
         on_refuse={"reprompt": "forever"}, path=["我的", "隐私保护指引"], policy_title="隐私保护指引",
         steps=["launch", "refuse", OBSERVE, "refuse", OBSERVE, "agree", "explore_policy"], expect=[P, F, P, P]),
    case(id="44", name="mini-vague", title="mini program, only 我知道了", label="理财通小程序",
         mini=True, appid="wxc0rpus0044", about="a mini program whose notice has only 我知道了",
         consent=zh_consent("理财通小程序", title="隐私保护提示", agree="我知道了", refuse=None,
                            links=["《隐私保护指引》"]),
         path=["我的", "隐私保护指引"], policy_title="隐私保护指引", steps=AGREE_ONLY, expect=[F, I, P, I]),
    case(id="45", name="mini-confirm-close", title="mini program: 仍然拒绝 closes it", label="保险服务小程序",
         mini=True, appid="wxc0rpus0045", about="a confirmation inside the mini program, then it closes",
         consent=zh_consent("保险服务小程序", title="用户隐私保护提示", agree="同意", refuse="拒绝", row=True,
                            refuse_first=True, links=["《隐私保护指引》"]),
         confirm=warm(title="提示", body="拒绝后将无法使用保险服务，是否仍然拒绝？", refuse="仍然拒绝",
                      agree="返回授权", row=True),
         on_refuse={"then": "close"}, path=["我的", "隐私保护指引"], policy_title="隐私保护指引",
         steps=["launch", "refuse", OBSERVE, "launch", "agree", "explore_policy"], expect=[P, P, P, F]),
]

class NoAliases(yaml.SafeDumper):
    """Writes repeated steps in full, as a person would."""

    def ignore_aliases(self, data):
        return True


RULES = ["explicit-consent", "no-popup-loop", "policy-reachable", "no-forced-exit"]


def main():
    for old in os.listdir(HERE):
        p = os.path.join(HERE, old)
        if os.path.isdir(p) and old[:2].isdigit():
            shutil.rmtree(p)
    for n, c in enumerate(CASES):
        c.setdefault("screen", SIZES[n % 3])
        c.setdefault("theme", "dark" if n % 4 == 3 else "light")
        d = os.path.join(HERE, f"{c['id']}-{c['name']}")
        os.makedirs(d)
        dump = lambda obj: yaml.dump(obj, Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=100)
        with open(os.path.join(d, "app.yaml"), "w") as f:
            f.write(f"# {c['about']}\n")
            f.write(dump(app_model(c)))
        with open(os.path.join(d, "scenario.yaml"), "w") as f:
            f.write(f"# {c['about']}\n")
            f.write(dump(scenario(c)))
        with open(os.path.join(d, "expected.yaml"), "w") as f:
            f.write(dump({"about": c["about"], "screen": c["screen"], "theme": c["theme"],
                          "verdicts": dict(zip(RULES, c["expect"]))}))
    print(f"{len(CASES)} cases written")


if __name__ == "__main__":
    main()
