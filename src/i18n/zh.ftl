# consentry 面向用户的文字（中文）。这里的每个 id 在 en.ftl 中都有。

## 检测结果
status-pass = 通过
status-fail = 不通过
status-inconclusive = 无法判定
status-manual = 人工复核
term-pass = 通过
term-fail = 不通过
term-inconclusive = 无法判定
term-manual = 人工复核
term-step-failed = 步骤失败
term-interrupted = 已中断
term-device-error = 设备错误
term-put-aside = 设备停用
term-retried = 已重试

## 检测项名称
rule-explicit-consent = 明示同意
rule-no-popup-loop = 拒绝后不得反复弹窗
rule-policy-reachable = 隐私政策 4 层内可达
rule-no-forced-exit = 拒绝后不得强制退出
rule-policy-on-first-launch = 首次运行告知个人信息处理规则
rule-permission-purpose = 申请权限同步告知目的
rule-no-upfront-permission = 不得提前申请权限
rule-no-bundled-permissions = 不得捆绑申请权限
rule-no-frequent-reprompt = 拒绝后不得频繁申请
rule-auth-state-unchanged = 不得擅自更改授权状态
rule-revocation-reachable = 提供撤回授权渠道
rule-no-collection-before-consent = 同意前不得收集个人信息
rule-no-background-collection = 后台不得收集个人信息
rule-collection-frequency = 收集频度不超出业务需要
rule-refusal-keeps-functions = 拒绝后基本功能可用
rule-biometric-notice = 生物识别信息单独告知
rule-reconsent-on-change = 规则变更重新征得同意
rule-account-deletion-reachable = 提供注销账号功能
rule-policy-content = 个人信息处理规则内容
rule-minor-rules = 未成年人个人信息处理规则
rule-no-inducement = 不得诱导授权
rule-masked-identifiers = 卡号、手机号、身份证号屏蔽展示
rule-password-masked = 口令屏蔽展示
rule-secure-auth-screens = 认证页面防截屏录屏
rule-vague-auth-errors = 认证失败模糊提示
rule-password-cleared-on-return = 页面返回后清除口令

## 终端摘要
summary-totals = { $runs } 个场景，{ $verdicts } 项结论：通过 { $pass }，不通过 { $fail }，无法判定 { $inconclusive }，人工复核 { $manual }；{ $frames } 帧，用时 { $secs } 秒
summary-incomplete = 运行未完成：报告只包含已完成的场景
summary-report = 报告：{ $path }
summary-unwritten = 报告未能写入：{ $error }；{ $dir } 中的内容来自运行的较早时刻，或为空
summary-retried = 结论来自在 { $device } 上的第 { $attempt } 次尝试（此前：{ $earlier }）
summary-frames = 帧

## 运行进度（src/commands.rs）
progress-interrupted = 已中断：正在完成当前步骤；report.json 保留每个已完成的场景（再按一次 Ctrl-C 立即退出）
progress-failing = { $n } 项不通过
progress-attempt = （第 { $attempt } 次尝试）
progress-on = {" "}于 { $device }
progress-finished = [{ $n }/{ $total }] { $name }{ $on }{ $retry }：{ $frames } 帧，{ $verdicts } 项结论，{ $fail } 项不通过{ $error }
progress-retrying = 在另一台设备上重试 { $name }（第 { $attempt } 次尝试）：{ $device } 出错：{ $error }
progress-put-aside = 设备 { $device } 已搁置：{ $reason }

## 附加在结论上的说明（src/session.rs、src/audit.rs）
session-not-proven = 运行提前结束，因此未能证实：{ $message }
audit-note = { $message }（自动审查，阶段 { $phase }：{ $why }）
audit-why-no-update = 未提供更新的版本（`--update FILE.apk`，或在模拟设备上用 `--update-version N`）
audit-why-no-login = 自动审查未登录（`--login steps.yaml`）
audit-why-nothing = 无更多说明

## 场景文件的错误提示（src/yaml.rs、src/scenario/）
diag-error = 错误
diag-help = 提示
diag-invalid-yaml = YAML 格式错误：{ $info }
diag-check-indentation = 请检查缩进：列表项以 `- ` 开头，子键缩进在父键之下
diag-kind-nothing = 空值
diag-kind-boolean = 布尔值
diag-kind-number = 数字
diag-kind-string = 字符串
diag-kind-list = 列表
diag-kind-mapping = 映射
diag-did-you-mean = 是否想写 `{ $s }`？
diag-takes = { $what } 可用的键：{ $keys }
diag-unknown-key = { $what } 中有未知的键 `{ $name }`
diag-must-be-mapping = { $what } 应为映射（`键: 值` 的若干行），实际为{ $found }
diag-must-not-be-empty = { $what } 不能为空
diag-must-be-string = { $what } 应为字符串，实际为{ $found }
diag-must-be-bool = { $what } 应为 true 或 false，实际为{ $found }
diag-must-be-int = { $what } 应为整数，实际为{ $found }
diag-must-be-duration = { $what } 应为时长，如 `500ms`、`2s` 或 `1.5s`
diag-bare-number-seconds = 不带单位的数字按秒计
diag-must-be-coordinate = { $what } 应在 0 到 { $max } 像素之间，实际为 { $found }
diag-must-be-strings = { $what } 应为字符串列表，实际为{ $found }
diag-steps-are = 可用的步骤：{ $steps }
diag-unknown-step = 未知的步骤 `{ $name }`
diag-step-needs = `{ $name }` 需要{ $what }
diag-write-step-value = 请写成 `- { $name }: ...`
diag-step-takes-no-value = `{ $name }` 不带值
diag-write-step = 请写成 `- { $name }`
diag-missing-app = 缺少 `app:`：此场景测试哪个应用？
diag-missing-app-help = 请添加 `app:` 及 `package:`（和 `activity:`），小程序则写 `host:` 和 `deeplink:`
diag-known-rules = 已知的检测项：{ $rules }
diag-unknown-rule = 未知的检测项 `{ $id }`

## 表格
xlsx-findings = 检测结果
xlsx-timeline = 时间线
xlsx-identity = 检测对象
col-index = 序号
col-app = 应用
col-version = 版本
col-device = 设备
col-scenario = 场景
col-rule = 检测项
col-rule-id = 检测项编号
col-clause = 条款
col-clause-words = 条款原文
col-result = 结果
col-message = 说明
col-evidence = 证据截图
col-frame = 帧
col-time = 时间
col-elapsed = 用时（毫秒）
col-step = 步骤
col-foreground = 前台
col-texts = 屏幕文字
col-sha256 = 场景文件 sha256
col-tool = 检测工具
col-screen = 屏幕
col-android = Android 版本
evidence-frame = 第 { $index } 帧

## HTML 报告
html-title = consentry 检测报告
html-cover-title = 个人信息收集合规检测报告（T/NIFA 33-2025）
html-cover-app = 应用
html-cover-device = 设备
html-cover-date = 日期
html-cover-tool = 检测工具
html-cover-verdicts = 结论
html-sub-app = 应用
html-sub-device = 设备
html-sub-via = {" "}经 { $link }
html-sub-frames = { $count } 帧
app-mini-program = 小程序 appid { $appid }（宿主 { $host }{ $version }）
html-summary = 汇总
html-scenario = 场景
html-clause-words = 标准原文
html-scenarios = { $count } 个场景
html-sections-7-6 = 第 7 章与第 6 章
html-section-7 = 第 7 章

## 检测结论说明：多个检测项共用的片段（src/rules/evidence.rs）
evidence-op-name = { $op }（{ $meaning }）
evidence-op-location = 位置信息
evidence-op-wifi-scan = 位置信息（Wi-Fi 扫描）
evidence-op-cell-towers = 位置信息（基站）
evidence-op-contacts = 通讯录
evidence-op-accounts = 账户信息
evidence-op-call-log = 通话记录
evidence-op-calendar = 日历
evidence-op-phone-state = 电话状态及设备标识符
evidence-op-phone-number = 手机号码
evidence-op-device-ids = 设备标识符
evidence-op-clipboard = 剪切板
evidence-op-camera = 相机
evidence-op-microphone = 麦克风
evidence-op-sms = 短信
evidence-op-installed-apps = 已安装应用列表
evidence-op-app-usage = 应用使用情况
evidence-op-files = 文件和照片
evidence-op-photos = 照片
evidence-op-videos = 视频
evidence-op-audio = 音频文件
evidence-op-photo-locations = 照片位置信息
evidence-op-body-sensors = 身体传感器
evidence-op-activity = 身体活动
evidence-op-biometrics = 生物识别信息
evidence-op-fingerprint = 指纹
evidence-group-location = 位置
evidence-group-camera = 相机
evidence-group-contacts = 通讯录
evidence-group-call-log = 通话记录
evidence-group-sms = 短信
evidence-group-calendar = 日历
evidence-group-phone-number = 手机号码
evidence-group-body-sensors = 身体传感器
evidence-group-notifications = 通知
evidence-group-microphone = 麦克风
evidence-group-storage = 存储
evidence-group-phone = 电话
evidence-group-profile = 个人资料
evidence-a-permission = 某项
evidence-list-and = { $rest }和{ $last }
evidence-build-version = 版本 { $version }
evidence-list-sep = 、
evidence-secs = { $s } 秒
evidence-mini-program-note = 小程序运行在宿主应用内：应用操作（app-op）记录属于宿主应用（{ $package }），无法与宿主自身的访问区分，需由审核人员依据宿主的记录判断

## 拒绝选项为何显得被弱化（src/screen/inspect.rs）
inspect-refuse-third-size = 拒绝选项「{ $refuse }」的面积不到「{ $agree }」的三分之一
inspect-refuse-no-button = 拒绝选项「{ $refuse }」只是{ $look }的文字、没有按钮，而「{ $agree }」是按钮
inspect-look-small-faint = 字小且颜色浅
inspect-look-small = 字小
inspect-look-faint = 颜色浅
inspect-refuse-smaller = 拒绝选项「{ $refuse }」的字明显更小（高 { $refuse_px } 像素），「{ $agree }」高 { $agree_px } 像素
inspect-refuse-fainter = 拒绝选项「{ $refuse }」的颜色明显更浅（对比度 { $refuse_contrast }），「{ $agree }」为 { $agree_contrast }

## 搜索在页面上找到了什么，或页面为何不是目标（src/screen/search.rs）
search-why-withdraws = 「{ $text }」可撤回同意
search-why-lists = 列出了各项权限及其状态：{ $rows }
search-why-titled-lists = 标题为「{ $title }」；列出了各项权限及其状态：{ $rows }
search-why-titled-rows = 标题为「{ $title }」；{ $rows }
search-why-titled-switches = 标题为「{ $title }」，有 { $switches } 个开关、{ $states } 项状态
search-why-titled = 标题为「{ $title }」
search-why-deletion-notice = 「{ $via }」打开了注销说明：「{ $text }」
search-row = 「{ $text }」
search-row-state = 「{ $text }」{ $state }
search-state-switch-on = 开关已开启
search-state-switch-off = 开关已关闭
search-near-no-switch = 页面上没有开关、权限状态或撤回授权的控件
search-near-a-screen = 某页面
search-near-deletion-silent = 经「{ $via }」进入此页，但页面未提及注销或删除
search-near-links-only = 只有隐私政策的链接
search-near-terms = 是服务条款，不是隐私政策
search-near-agreement = 是{ $name }，不是隐私政策

## 检测结论说明：有限深度搜索（src/rules/search_found.rs）
search-taps = { $n } 次点击
search-screens = { $n } 个页面
search-target-policy = 隐私政策
search-target-revocation = 撤回授权的途径
search-target-account-deletion = 注销账号或删除个人信息的途径
search-instead-item = 「{ $title }」（{ $why }，{ $taps }）
search-found-instead = ；另找到：{ $list }
search-frame-missing = 第 { $frame } 帧不在记录中
search-frame-shows = 第 { $frame } 帧显示的是「{ $title }」：{ $why }
search-frame-not-it = 第 { $frame } 帧并未显示该内容
search-unconfirmed = 搜索报告找到了{ $what }，但重新识别该页面后未发现（{ $why }）
search-why-sep = ；
search-none = 未对{ $what }进行搜索：请在应用首页出现处添加 `{ $step }`
search-labels = { $path }
search-on-start-screen = 就在起始页面上
search-path = { $taps }（{ $path }）
search-why = （{ $why }）
search-reached = 已到达{ $what }：{ $path }{ $why }
search-none-short = 未对{ $what }进行搜索
search-too-shallow = 搜索仅深入 { $taps }，未找到{ $what }：请搜索 { $depth } 层（`max_taps: { $depth }`）{ $instead }
search-not-reached = 在 { $within }以内未到达提供{ $what }的页面（共搜索 { $screens }、{ $taps }）{ $instead }
evidence-box-at = 位于 { $x },{ $y } 的输入框
evidence-box-label = 输入框「{ $label }」
evidence-password-box-at = 位于 { $x },{ $y } 的密码输入框
evidence-password-box-label = 密码输入框「{ $label }」

## 检测结论说明：本版本不判定的检测项（src/rules/mod.rs）
rules-not-judged = 本版本仅收集相关帧，不判定此检测项：需由审核人员判断

## 检测结论说明：经确认弹窗的拒绝（src/rules/consent_flow.rs）
consent-flow-through = （并在{ $titles }中再次拒绝）
consent-flow-and = 和

## explicit-consent
explicit-consent-no-prompt = 未出现同意弹窗：请清除应用数据后启动应用，使首次运行的弹窗出现
explicit-consent-no-prompt-short = 未出现同意弹窗
explicit-consent-login-pre-ticked = 登录页的同意勾选框「{ $text }」在用户操作前已被勾选
explicit-consent-login-way-out = 登录页以未勾选的勾选框「{ $cb }」征求同意，并提供「{ $out }」供用户不同意也可继续
explicit-consent-login-back-declines = 登录页以未勾选的勾选框「{ $cb }」征求同意，离开该页面即为不同意
explicit-consent-login-no-way-on = 带有「{ $cb }」的登录页未提供不同意也可继续的途径：没有跳过或游客选项，返回也无法离开该页面
explicit-consent-login-untried = 登录页的勾选框「{ $cb }」初始未勾选，但未显示不同意也可继续的途径：请添加 `refuse` 步骤尝试离开该页面
explicit-consent-agree-unread = 同意弹窗显示「{ $refuse }」，但无法识别其同意按钮
explicit-consent-no-refuse = 同意弹窗未提供拒绝选项：仅显示{ $shown }，没有“不同意”“拒绝”或“暂不同意”
explicit-consent-vague-agree = 继续使用的唯一途径是含糊的「{ $labels }」，而非明确的“同意”：知悉不等于同意
explicit-consent-pre-ticked = 同意勾选框「{ $text }」在用户操作前已被勾选
explicit-consent-suppressed-refuse = { $why }：弱化的拒绝选项诱导用户同意
explicit-consent-pass = 同意弹窗提供了明确的「{ $agree }」和明确的「{ $refuse }」

## no-popup-loop
no-popup-loop-never-refused = 本次运行中用户未拒绝过同意弹窗：请添加 `refuse` 步骤
no-popup-loop-loop = 用户每次拒绝{ $through }后，同意弹窗都再次出现（共 { $n } 次）：用户无法通过拒绝继续使用
no-popup-loop-back-once = 用户拒绝{ $through }后，弹窗再次出现了一次：请再次拒绝，以区分单次确认与反复弹窗
no-popup-loop-confirmed-once = 弹窗再次出现一次以确认拒绝，用户再次拒绝{ $through }后未再出现
no-popup-loop-not-watched = 拒绝后未进行观察：请在 `refuse` 之后添加 `observe` 步骤，以发现再次出现的弹窗
no-popup-loop-pass = 用户拒绝{ $through }后，在随后的 { $watched } 帧中弹窗未再出现

## policy-reachable
policy-reachable-no-search = 未搜索隐私政策：请添加 `explore_policy` 步骤
policy-reachable-pass = 经 { $n } 次点击到达隐私政策：{ $path }
policy-reachable-too-deep = 需点击 { $n } 次才能到达隐私政策（{ $path }），超过 { $limit } 次{ $instead }
policy-reachable-too-shallow = 搜索仅深入 { $n } 次点击，未找到隐私政策：请搜索 { $limit } 层{ $instead }
policy-reachable-not-reached = 在 { $limit } 次点击以内未到达显示隐私政策的页面（共搜索 { $screens } 个页面、{ $taps } 次点击）{ $instead }

## no-forced-exit
no-forced-exit-never-refused = 本次运行中用户未拒绝过同意弹窗：请添加 `refuse` 步骤
no-forced-exit-died = 用户拒绝{ $through }后，应用进程（pid { $pid }）终止
no-forced-exit-restarted = 用户拒绝{ $through }后，应用进程被重启（pid 由 { $was } 变为 { $now }）
no-forced-exit-nothing = 无
no-forced-exit-mini-program-closed = 用户拒绝{ $through }后，小程序被关闭：宿主应用当前显示 { $fg }
no-forced-exit-left = 用户拒绝{ $through }后，应用退出前台：当前前台为 { $fg }
no-forced-exit-unread = 拒绝后无法读取前台应用
no-forced-exit-pass = { $n ->
    [1] 用户拒绝
   *[other] 用户每次拒绝（共 { $n } 次）
  }{ $through }后，应用仍在前台且进程未变

## policy-on-first-launch
policy-on-first-launch-no-fresh-launch = 未记录清除应用数据后的启动：请设置 `clear_data: true`（或 `launch: {"{"}clear_data: true{"}"}`）
policy-on-first-launch-pass = 全新安装后首次运行时展示了个人信息处理规则
policy-on-first-launch-pass-after = 全新安装后首次运行时展示了个人信息处理规则（启动后第 { $n } 帧）
policy-on-first-launch-the-screen = 屏幕
policy-on-first-launch-used-first = 全新安装后，在个人信息处理规则出现之前应用已被使用（点击了「{ $label }」）
policy-on-first-launch-no-screen = 全新启动后应用未显示任何页面
policy-on-first-launch-fail = 全新安装后首次运行时未出现个人信息处理规则（共看到应用的 { $n } 个页面）

## policy-content
policy-content-no-text = 未获取到隐私政策正文：请在隐私政策页面添加 `read_policy`，或添加 `explore_policy` 步骤（列出本检测项时，它会把找到的隐私政策读到末尾）
policy-content-read-note = 「{ $title }」（{ $chars } 字，{ $read }，共 { $frames } 帧）
policy-content-the-policy = 隐私政策
policy-content-read-to-end = 已读到末尾
policy-content-stopped-early = 滚动在末尾之前停止
policy-content-element-processor = 处理者
policy-content-element-purposes = 处理目的
policy-content-element-data-types = 个人信息种类
policy-content-element-sensitive = 敏感个人信息
policy-content-element-sharing = 共享与第三方
policy-content-element-retention = 保存期限与地点
policy-content-element-rights = 用户权利
policy-content-element-contact = 联系方式
policy-content-none-found = 未找到任何要素
policy-content-found = 已找到：{ $list }
policy-content-all-found = 所有要素均已找到
policy-content-not-found = 未找到：{ $list }
policy-content-manual = 由审核人员判断{ $note }是否清楚说明了由谁、为何目的、以何种方式处理哪些个人信息：{ $found }；{ $missing }（报告中引用了相关语句）

## minor-rules
minor-rules-no-mention = { $note }中没有提及不满十四周岁的儿童、未成年人或监护人：由审核人员判断应用是否可能面向未成年人，如是，则需有专门的个人信息处理规则并取得监护人同意
minor-rules-mentions = { $note }提及儿童：「{ $quotes }」；由审核人员判断这些是否为针对不满十四周岁儿童的专门规则，并取得监护人的单独同意

## permission-purpose
permission-purpose-what-sheet = 第 { $frame } 帧的{ $groups }授权弹窗
permission-purpose-what-dialog = 第 { $frame } 帧的{ $groups }权限弹窗
permission-purpose-no-dialog = 本次运行中未出现运行时权限弹窗或授权弹窗：请打开需要权限的功能（地图、扫一扫、人脸识别等）
permission-purpose-stock-phrase = 仅有未说明具体目的的套话（{ $quote }）
permission-purpose-no-purpose = 未说明目的
permission-purpose-more = （{ $total } 个弹窗中有 { $n } 个未说明目的）
permission-purpose-fail = { $what }在弹窗上或紧邻其前的页面上{ $why }{ $more }
permission-purpose-on-it = 在弹窗上
permission-purpose-screen-before = 在弹窗之前的页面上（第 { $frame } 帧）
permission-purpose-pass = 每个权限弹窗（共 { $n } 个）均同步告知了目的；{ $what }{ $place }说明了{ $quote }

## no-upfront-permission
no-upfront-permission-never-launched = 本次运行中应用未被启动
no-upfront-permission-on-launch-frame = 在启动的当帧
no-upfront-permission-frames-after = 在启动后第 { $n } 帧
no-upfront-permission-fail = 应用在启动时（{ $when }）、用户使用任何功能之前即申请了{ $groups }权限
no-upfront-permission-none = 启动时未申请任何权限（启动后共 { $after } 帧）
no-upfront-permission-pass = 全部 { $n } 个权限弹窗均在用户使用应用功能之后出现

## no-bundled-permissions
no-bundled-permissions-no-dialog = 本次运行中未出现运行时权限弹窗
no-bundled-permissions-several = 一个弹窗同时申请了多项权限（{ $groups }权限）
no-bundled-permissions-several-series = 一个弹窗同时申请了多项权限（{ $groups }权限，属于带编号的一组弹窗之一）
no-bundled-permissions-in-one-go = { $first }权限和{ $second }权限被连续申请：用户答复第一个后紧接着弹出第二个
no-bundled-permissions-pass = 共 { $n } 个权限弹窗，每个只单独申请一项权限

## no-frequent-reprompt
no-frequent-reprompt-no-dialog = 未出现权限弹窗，因此没有被拒绝的权限：请打开会申请权限的功能并拒绝（`tap: 不允许`）
no-frequent-reprompt-none-refused = 出现了 { $n } 个权限弹窗，但均未被拒绝：请拒绝其中一个（`tap: 不允许`），然后重新启动应用并切换页面
no-frequent-reprompt-asked-again = { $what }权限在第 { $refused } 帧被拒绝后，又于第 { $again } 帧{ $why }再次申请
no-frequent-reprompt-on-other-page = 在不需要该权限的页面上（点击「{ $label }」后{ $relaunch }）
no-frequent-reprompt-after-relaunch = ，且应用已重新启动
no-frequent-reprompt-on-relaunch = 在应用重新启动时、用户打开任何功能之前
no-frequent-reprompt-by-itself = 在拒绝 { $secs }后、用户未打开相应功能的情况下自行
no-frequent-reprompt-not-exercised = 有 { $n } 项权限被拒绝，但运行随即结束：请在拒绝后重新启动应用并打开其他页面
no-frequent-reprompt-allowed = ；仅在用户打开需要该权限的功能时再次申请了 { $n } 次
no-frequent-reprompt-pass = 共 { $n } 个权限弹窗被拒绝（{ $groups }）：重新启动应用或打开其他页面时未再次申请{ $allowed }

## auth-state-unchanged
auth-state-unchanged-mini-program = 小程序的权限属于其宿主应用（{ $package }）：需由审核人员判断宿主应用的授权设置
auth-state-unchanged-not-read = 应用的运行时权限读取次数不足两次（请在 `rules:` 中列出 `auth-state-unchanged`，并使用能响应 `dumpsys package` 的设备）
auth-state-unchanged-fail = { $permission } 在第 { $from } 帧与第 { $to } 帧之间变为已授权，但用户并未在权限弹窗中允许
auth-state-unchanged-pass = 共读取运行时权限 { $reads } 次：每次新增授权均来自用户本人的答复（起初已授权 { $first } 项，最后 { $last } 项）

## no-collection-before-consent
no-collection-before-consent-no-prompt = 未出现同意弹窗，因此没有可与访问记录比较的同意时刻：请在全新安装后启动（`clear_data: true`）
no-collection-before-consent-before = 在用户同意之前
no-collection-before-consent-not-consented = 在用户未同意期间
no-collection-before-consent-pass = { $when }没有访问个人信息的应用操作（app-op）记录（读取了 { $n } 帧的 app-op 记录）
no-collection-before-consent-access-before = { $name }于第 { $at }访问（早于同意 { $before }）
no-collection-before-consent-access = { $name }于第 { $at }访问
no-collection-before-consent-fail = { $when }读取了个人信息：{ $ops }

## no-background-collection
no-background-collection-never = 应用从未在进程存活的情况下处于后台：请添加 `home` 步骤，并在其后添加 `wait`
no-background-collection-access = { $name }在应用退出前台 { $after }后被访问
no-background-collection-running = { $op } 在后台持续运行
no-background-collection-fail = 应用处于后台时读取了个人信息：{ $found }
no-background-collection-too-short = 应用在后台停留的时间未超过 { $grace } 的宽限期：请在 `home` 之后 `wait` 更长时间
no-background-collection-pass = 应用在后台的 { $secs }内没有访问个人信息的应用操作（app-op）

## collection-frequency
collection-frequency-no-stretch = 未记录到至少持续 { $window }、帧间隔不超过 { $gap } 的连续片段：请添加 `observe` 步骤（例如 `observe: {"{"}duration: 30s, interval: 5s{"}"}`）
collection-frequency-no-map = （所在页面无地图或附近功能）
collection-frequency-fail = { $op }（{ $what }）在 { $span }内至少被读取 { $n } 次（约每 { $median }一次）{ $where_ }，超过了允许的最高频率（每 { $limit }一次）
collection-frequency-pass = 在观察的 { $secs }内，没有个人信息相关的应用操作（app-op）读取频率超出限制

## refusal-keeps-functions
refusal-keeps-functions-left = 应用退出了前台（当前前台为 { $package }）
refusal-keeps-functions-process-ended = 应用进程已终止
refusal-keeps-functions-prompt-back = 反而再次出现了同意弹窗
refusal-keeps-functions-refused-with = 被以「{ $text }」拒绝使用
refusal-keeps-functions-nothing-opened = 未打开任何内容（页面没有变化）
refusal-keeps-functions-none-opened = 未打开任何基本功能：请声明 `basic_functions: [...]`，并在 `refuse` 之后添加 `check_functions`
refusal-keeps-functions-after-agree = 这些功能是在用户同意后打开的，而不是在拒绝后：请把 `check_functions` 紧接在 `refuse` 之后
refusal-keeps-functions-no-refusal = `check_functions` 之前没有发生拒绝：请在其前添加 `refuse`
refusal-keeps-functions-broken-item = 「{ $label }」：{ $why }
refusal-keeps-functions-refused-permission = 权限申请
refusal-keeps-functions-refused-consent = 同意请求
refusal-keeps-functions-fail = 用户拒绝{ $refused }后，有 { $n } 项基本功能无法使用：{ $broken }
refusal-keeps-functions-opened = ；{ $list } 可以打开
refusal-keeps-functions-missing = 拒绝后在屏幕上始终未找到 { $missing }（请检查 `basic_functions` 中的名称，或先进入显示这些功能的页面）{ $opened }
refusal-keeps-functions-pass = 用户拒绝{ $refused }后，所有基本功能仍可打开：{ $opened }

## reconsent-on-change
reconsent-on-change-no-install = 本次运行中未安装新版本：请在用户同意后添加 `install: {"{"}version: 2, policy_changed: true{"}"}`（模拟应用模型）或 `install: {"{"}apk: app-v2.apk, policy_changed: true{"}"}`（真实设备），然后 `launch`
reconsent-on-change-not-said = 已安装新版本，但场景未说明其个人信息处理规则有变更（`install` 步骤上的 `policy_changed: true`）：规则是否变更无法从应用外部看出
reconsent-on-change-no-earlier-consent = { $build } 在用户同意旧版本之前就已安装，因此没有需要重新征得的既往同意：请在用户同意后添加 `install: {"{"}version: 2, policy_changed: true{"}"}`（模拟应用模型）或 `install: {"{"}apk: app-v2.apk, policy_changed: true{"}"}`（真实设备），然后 `launch`
reconsent-on-change-never-launched = { $build } 已安装但从未启动：请在 `install` 步骤之后添加 `launch`
reconsent-on-change-cleared = 启动 { $build } 之前清除了应用数据：这是全新安装而非更新；请在不清除数据的情况下启动
reconsent-on-change-pass = { $build }（规则已变更）首次启动时重新征得了同意：第 { $frame } 帧显示了带同意按钮的{ $title }
reconsent-on-change-fail = 个人信息处理规则已变更的 { $build } 首次启动后直接进入应用（第 { $frame } 帧），没有告知新规则，也没有重新征得同意

## biometric-notice
biometric-notice-capture-screen = 人脸采集页面：{ $quote }
biometric-notice-camera-opened = 在人脸页面打开了相机
biometric-notice-no-capture = 本次运行中未发生人脸采集（没有要求用户面对相机的“人脸识别”/“刷脸”页面，也没有在人脸页面打开相机）：请打开应用的人脸识别验证功能
biometric-notice-face-screen-hint = ；第 { $frame } 帧的人脸页面未以带同意按钮的方式说明目的
biometric-notice-no-notice = 第 { $frame } 帧采集了人脸信息（{ $what }），此前没有单独告知其目的、方式和范围并征得同意{ $hint }
biometric-notice-not-agreed = 第 { $notice } 帧展示了人脸识别告知，但在第 { $frame } 帧采集人脸信息（{ $what }）之前用户并未同意
biometric-notice-element-method = 处理方式
biometric-notice-element-scope = 处理范围
biometric-notice-element-retention = 保存期限
biometric-notice-stated = 及其{ $list }
biometric-notice-missing = （未找到{ $list }：审核人员可复核）
biometric-notice-pass = 单独的人脸识别告知（第 { $notice } 帧）说明了目的{ $purpose }{ $stated }{ $missing }，并在第 { $frame } 帧采集人脸信息（{ $what }）之前征得了同意

## no-inducement
no-inducement-no-prompt = 本次运行中未出现同意弹窗、权限弹窗或授权弹窗：没有需要检查奖励文字的对象
no-inducement-quote = 第 { $frame } 帧{ $quote }（{ $word }）
no-inducement-none = 已检查 { $n } 个授权弹窗：弹窗上及其前一页面均无奖励文字（红包、积分、优惠券等）；仅以图片呈现的奖励无法识别，需由人工根据截图确认
no-inducement-manual = { $n } 个授权弹窗中有 { $with_reward } 个旁边出现了奖励文字：{ $quotes }；由人工判断奖励是否以同意或授权为条件

## masked-identifiers
masked-identifiers-payee-screen = 确认转账收款人的页面
masked-identifiers-after-auth = 用户在第 { $frame } 帧完成身份验证之后
masked-identifiers-more = ，另有 { $others } 个号码完整显示（第 { $frames } 帧）
masked-identifiers-kind-bank-card = 银行卡号
masked-identifiers-kind-mobile = 手机号
masked-identifiers-kind-resident-id = 身份证号
masked-identifiers-fail = 第 { $frame } 帧完整显示了{ $kind } { $number }（见{ $line }）{ $more }：除非需要用户确认或用户已验证身份，否则必须屏蔽显示
masked-identifiers-excused = 第 { $frame } 帧在{ $why }完整显示了{ $kind } { $number }：由审核人员确认用户在此处确需看到完整号码
masked-identifiers-pass = 证件及账号号码在 { $n } 帧中均屏蔽显示（第 { $frame } 帧：{ $shown }），没有完整显示的情况
masked-identifiers-none = { $n } 帧中没有页面显示银行卡号、手机号或身份证号（无论是否屏蔽）：请打开显示这些号码的页面（银行卡、账户、个人资料）

## password-masked
password-masked-exposed = 本次运行中输入的密码在第 { $frame } 帧以明文显示（保存的截图中已隐藏；方框标出了位置）
password-masked-mixed = 用不同的字符屏蔽其 { $count } 个字符
password-masked-clear = 以明文显示了 { $clear } 个输入的字符
password-masked-fail = { $name }在第 { $frame } 帧{ $bad }：每个字符都必须以同一个屏蔽字符显示
password-masked-echo = （最后一个字符短暂回显，与 Android 的“显示密码”功能一致）
password-masked-pass = { $name }在第 { $frame } 帧显示了 { $count } 个相同的屏蔽字符{ $echo }；输入的密码未在任何地方显示
password-masked-none-typed = 本次运行中没有在密码输入框中输入内容：请点击输入框，然后 `type: {"{"}secret: ENV{"}"}`

## secure-auth-screens
secure-auth-screens-untitled = 无标题
secure-auth-screens-login-password = 登录密码
secure-auth-screens-payment-password = 支付密码
secure-auth-screens-gesture = 手势密码
secure-auth-screens-fail = 输入{ $what }的页面（第 { $frame } 帧，{ $title }）可以被截屏：其窗口未设置防截屏（`dumpsys window` 中没有 FLAG_SECURE），且截图显示了该页面
secure-auth-screens-pass = 所有输入密码或手势的页面均为防截屏窗口（{ $n } 帧，首帧为第 { $first } 帧：截图为黑屏）
secure-auth-screens-unknown = 设备未报告密码页面的窗口是否防截屏（`dumpsys window windows`），且其截图不是黑屏
secure-auth-screens-none = 未出现输入密码、支付密码或手势的页面：请打开登录或支付页面

## vague-auth-errors
vague-auth-errors-existence = 登录失败后应用提示{ $said }（第 { $frame } 帧）：「{ $word }」透露了账号是否存在；应只提示账号或密码错误
vague-auth-errors-personal-data = 登录失败后，第 { $frame } 帧的提示信息显示了个人信息（{ $shown }）
vague-auth-errors-pass = 登录失败时提示{ $said }（第 { $frame } 帧）：既未透露账号是否存在，也未显示任何个人信息
vague-auth-errors-no-submit = 本次运行中输入密码后未提交登录：请输入错误的密码并点击登录按钮
vague-auth-errors-no-message = 本次运行中提交的登录均未显示失败提示：请输入错误的密码以查看提示

## password-cleared-on-return
password-cleared-on-return-fail = { $name }在第 { $typed } 帧输入、第 { $left } 帧离开页面后，用户在第 { $back } 帧返回时仍保留着密码
password-cleared-on-return-pass = { $name }在第 { $typed } 帧输入，用户在第 { $back } 帧返回时已清空
password-cleared-on-return-not-left = 已在密码输入框中输入，但从未离开并返回该页面：请添加 `back`（或打开其他页面）后再返回
password-cleared-on-return-none-typed = 本次运行中没有在密码输入框中输入内容：请点击输入框，然后 `type: {"{"}secret: ENV{"}"}`
