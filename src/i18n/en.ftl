# consentry's texts for people, in English. Every id here is in zh.ftl too.

## Verdicts
status-pass = pass
status-fail = fail
status-inconclusive = inconclusive
status-manual = manual
term-pass = PASS
term-fail = FAIL
term-inconclusive = INCONCLUSIVE
term-manual = MANUAL
term-step-failed = STEP FAILED
term-interrupted = INTERRUPTED
term-device-error = DEVICE ERROR
term-put-aside = PUT ASIDE
term-retried = RETRIED

## Rule names
rule-explicit-consent = explicit consent
rule-no-popup-loop = no popup loop after a refusal
rule-policy-reachable = policy within 4 taps
rule-no-forced-exit = no forced exit on refusal
rule-policy-on-first-launch = notice on first launch
rule-permission-purpose = purpose with each permission
rule-no-upfront-permission = no permission asked up front
rule-no-bundled-permissions = no bundled permissions
rule-no-frequent-reprompt = no frequent re-asking
rule-auth-state-unchanged = authorization state unchanged
rule-revocation-reachable = revocation reachable
rule-no-collection-before-consent = no collection before consent
rule-no-background-collection = no collection in the background
rule-collection-frequency = collection frequency
rule-refusal-keeps-functions = functions kept after refusal
rule-biometric-notice = separate notice for face data
rule-reconsent-on-change = new consent on changed rules
rule-account-deletion-reachable = account deletion reachable
rule-policy-content = policy content
rule-minor-rules = rules for minors
rule-no-inducement = no inducement to authorize
rule-masked-identifiers = identifiers masked
rule-password-masked = passwords masked
rule-secure-auth-screens = authentication screens protected from capture
rule-vague-auth-errors = vague login errors
rule-password-cleared-on-return = password cleared on return

## The terminal summary
summary-totals = { $runs } { $runs ->
    [one] scenario
   *[other] scenarios
  }, { $verdicts } verdicts: { $pass } pass, { $fail } fail, { $inconclusive } inconclusive, { $manual } manual; { $frames } frames in { $secs } s
summary-incomplete = the run did not finish: the report holds the scenarios that did
summary-report = report: { $path }
summary-unwritten = report NOT written: { $error }; what { $dir } holds is from an earlier point of the run, or nothing
summary-retried = verdicts from attempt { $attempt } on { $device } (earlier: { $earlier })
summary-frames = { $count ->
    [one] frame
   *[other] frames
  }

## The spreadsheet
xlsx-findings = findings
xlsx-timeline = timeline
xlsx-identity = identity
col-index = no.
col-app = app
col-version = version
col-device = device
col-scenario = scenario
col-rule = check
col-rule-id = rule id
col-clause = clause
col-clause-words = clause text
col-result = result
col-message = finding
col-evidence = evidence
col-frame = frame
col-time = time
col-elapsed = elapsed (ms)
col-step = step
col-foreground = foreground
col-texts = texts on screen
col-sha256 = scenario sha256
col-tool = tool
col-screen = screen
col-android = Android
evidence-frame = frame { $index }

## The HTML report
html-title = consentry report
html-cover-title = Inspection report: personal-data consent (T/NIFA 33-2025)
html-cover-app = App
html-cover-device = Device
html-cover-date = Date
html-cover-tool = Tool
html-cover-verdicts = Verdicts
html-summary = Summary
html-scenario = scenario
html-clause-words = The standard says
html-scenarios = { $count } { $count ->
    [one] scenario
   *[other] scenarios
  }
html-sections-7-6 = Sections 7 and 6
html-section-7 = Section 7
