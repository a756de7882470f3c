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
html-summary = 汇总
html-scenario = 场景
html-clause-words = 标准原文
html-scenarios = { $count } 个场景
html-sections-7-6 = 第 7 章与第 6 章
html-section-7 = 第 7 章
