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

## Progress while running (src/commands.rs)
progress-interrupted = interrupted: finishing the current step; report.json keeps every finished scenario (Ctrl-C again to quit now)
progress-failing = { $n } failing
progress-attempt = {" "}(attempt { $attempt })
progress-on = {" "}on { $device }
progress-finished = [{ $n }/{ $total }] { $name }{ $on }{ $retry }: { $frames } frames, { $verdicts } verdicts, { $fail } fail{ $error }
progress-retrying = retrying { $name } (attempt { $attempt }) on another worker: { $device } failed: { $error }
progress-put-aside = device { $device } put aside: { $reason }

## Notes added to verdicts (src/session.rs, src/audit.rs)
session-not-proven = the run stopped early, so this is not proven: { $message }
audit-note = { $message } (audit, phase { $phase }: { $why })
audit-why-no-update = no newer build was given (`--update FILE.apk`, or `--update-version N` on the simulated device)
audit-why-no-login = the audit did not log in (`--login steps.yaml`)
audit-why-nothing = nothing more to say

## Diagnostics of scenario files (src/yaml.rs, src/scenario/)
diag-error = error
diag-help = help
diag-invalid-yaml = invalid YAML: { $info }
diag-check-indentation = check the indentation: list items start with `- ` and nested keys are indented under their parent
diag-kind-nothing = nothing
diag-kind-boolean = a boolean
diag-kind-number = a number
diag-kind-string = a string
diag-kind-list = a list
diag-kind-mapping = a mapping
diag-did-you-mean = did you mean `{ $s }`?
diag-takes = { $what } takes: { $keys }
diag-unknown-key = unknown key `{ $name }` in { $what }
diag-must-be-mapping = { $what } must be a mapping (`key: value` lines), found { $found }
diag-must-not-be-empty = { $what } must not be empty
diag-must-be-string = { $what } must be a string, found { $found }
diag-must-be-bool = { $what } must be true or false, found { $found }
diag-must-be-int = { $what } must be a whole number, found { $found }
diag-must-be-duration = { $what } must be a duration like `500ms`, `2s` or `1.5s`
diag-bare-number-seconds = a bare number is seconds
diag-must-be-coordinate = { $what } must be between 0 and { $max } pixels, found { $found }
diag-must-be-strings = { $what } must be a list of strings, found { $found }
diag-steps-are = steps are: { $steps }
diag-unknown-step = unknown step `{ $name }`
diag-step-needs = `{ $name }` needs { $what }
diag-write-step-value = write `- { $name }: ...`
diag-step-takes-no-value = `{ $name }` takes no value
diag-write-step = write `- { $name }`
diag-missing-app = missing `app:`: which app does this scenario test?
diag-missing-app-help = add `app:` with `package:` (and `activity:`), or `host:` and `deeplink:` for a mini program
diag-known-rules = known rules: { $rules }
diag-unknown-rule = unknown rule `{ $id }`

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
html-sub-app = app
html-sub-device = device
html-sub-via = {" "}via { $link }
html-sub-frames = { $count } { $count ->
    [one] frame
   *[other] frames
  }
app-mini-program = appid { $appid } in { $host }{ $version }
html-summary = Summary
html-scenario = scenario
html-clause-words = The standard says
html-scenarios = { $count } { $count ->
    [one] scenario
   *[other] scenarios
  }
html-sections-7-6 = Sections 7 and 6
html-section-7 = Section 7

## Verdict messages: pieces several rules share (src/rules/evidence.rs)
evidence-op-name = { $op } ({ $meaning })
evidence-op-location = location
evidence-op-wifi-scan = location (Wi-Fi scan)
evidence-op-cell-towers = location (cell towers)
evidence-op-contacts = contacts
evidence-op-accounts = accounts
evidence-op-call-log = call log
evidence-op-calendar = calendar
evidence-op-phone-state = phone state and device ids
evidence-op-phone-number = phone number
evidence-op-device-ids = device ids
evidence-op-clipboard = clipboard
evidence-op-camera = camera
evidence-op-microphone = microphone
evidence-op-sms = SMS
evidence-op-installed-apps = installed apps
evidence-op-app-usage = app usage
evidence-op-files = files and photos
evidence-op-photos = photos
evidence-op-videos = videos
evidence-op-audio = audio files
evidence-op-photo-locations = photo locations
evidence-op-body-sensors = body sensors
evidence-op-activity = physical activity
evidence-op-biometrics = biometrics
evidence-op-fingerprint = fingerprint
evidence-group-location = location
evidence-group-camera = camera
evidence-group-contacts = contacts
evidence-group-call-log = call log
evidence-group-sms = SMS
evidence-group-calendar = calendar
evidence-group-phone-number = phone number
evidence-group-body-sensors = body sensors
evidence-group-notifications = notifications
evidence-group-microphone = microphone
evidence-group-storage = storage
evidence-group-phone = phone
evidence-group-profile = profile
evidence-a-permission = a permission
evidence-list-and = { $rest } and { $last }
evidence-build-version = version { $version }
evidence-list-sep = {", "}
evidence-secs = { $s } s
evidence-mini-program-note = a mini program runs inside its host app: the app-op records belong to the host ({ $package }) and cannot be told apart from the host's own accesses, so a reviewer must judge this from the host's records

## Why the refuse option looks suppressed (src/screen/inspect.rs)
inspect-refuse-third-size = the refuse option 「{ $refuse }」 is less than a third the size of 「{ $agree }」
inspect-refuse-no-button = the refuse option 「{ $refuse }」 is { $look } text without a button, while 「{ $agree }」 is a button
inspect-look-small-faint = small, faint
inspect-look-small = small
inspect-look-faint = faint
inspect-refuse-smaller = the refuse option 「{ $refuse }」 is written much smaller ({ $refuse_px } px high) than 「{ $agree }」 ({ $agree_px } px)
inspect-refuse-fainter = the refuse option 「{ $refuse }」 is much fainter (contrast { $refuse_contrast }) than 「{ $agree }」 ({ $agree_contrast })

## What a search found on a screen, or why a screen was not it (src/screen/search.rs)
search-why-withdraws = 「{ $text }」 withdraws consent
search-why-lists = lists permissions with their state: { $rows }
search-why-titled-lists = titled 「{ $title }」; lists permissions with their state: { $rows }
search-why-titled-rows = titled 「{ $title }」; { $rows }
search-why-titled-switches = titled 「{ $title }」, with { $switches } { $switches ->
    [one] switch
   *[other] switches
  } and { $states } { $states ->
    [one] state
   *[other] states
  }
search-why-titled = titled 「{ $title }」
search-why-deletion-notice = 「{ $via }」 opens a deletion notice: 「{ $text }」
search-row = 「{ $text }」
search-row-state = 「{ $text }」 { $state }
search-state-switch-on = switch on
search-state-switch-off = switch off
search-near-no-switch = no switch, permission state or control to withdraw on it
search-near-a-screen = a screen
search-near-deletion-silent = 「{ $via }」 led here, and it says nothing of deleting
search-near-links-only = only links to the policy
search-near-terms = terms, not the privacy policy
search-near-agreement = { $name }, not the privacy policy

## Verdict messages: the bounded searches (src/rules/search_found.rs)
search-taps = { $n } { $n ->
    [one] tap
   *[other] taps
  }
search-screens = { $n } { $n ->
    [one] screen
   *[other] screens
  }
search-target-policy = the privacy policy
search-target-revocation = a way to withdraw authorizations
search-target-account-deletion = a way to delete the account or personal data
search-instead-item = 「{ $title }」 ({ $why }, { $taps })
search-found-instead = ; found instead: { $list }
search-frame-missing = frame { $frame } is not in the trace
search-frame-shows = frame { $frame } shows 「{ $title }」: { $why }
search-frame-not-it = frame { $frame } does not show it
search-unconfirmed = the search reported { $what }, but read again the screen does not show it ({ $why })
search-why-sep = {"; "}
search-none = no search for { $what } was made: add `{ $step }` where the app's home screen shows
search-labels = { $path }
search-on-start-screen = on the start screen
search-path = { $taps }: { $path }
search-why = {" "}({ $why })
search-reached = { $what } was reached in { $path }{ $why }
search-none-short = no search for { $what }
search-too-shallow = the search went only { $taps } deep and did not find { $what }: search { $depth } deep (`max_taps: { $depth }`){ $instead }
search-not-reached = no screen offering { $what } was reached within { $within } ({ $screens } and { $taps } searched){ $instead }
evidence-box-at = the box at { $x },{ $y }
evidence-box-label = the box 「{ $label }」
evidence-password-box-at = the password box at { $x },{ $y }
evidence-password-box-label = the password box 「{ $label }」

## Verdict messages: a rule this version does not judge (src/rules/mod.rs)
rules-not-judged = this version gathers the frames but does not judge this rule: a reviewer must

## Verdict messages: refusals through confirmation dialogs (src/rules/consent_flow.rs)
consent-flow-through = {" "}through { $titles }
consent-flow-and = {" "}and{" "}

## explicit-consent
explicit-consent-no-prompt = no consent prompt was seen: launch the app with its data cleared so the first-launch dialog shows
explicit-consent-no-prompt-short = no consent prompt was seen
explicit-consent-login-pre-ticked = the login page's consent box 「{ $text }」 is ticked before the user touched it
explicit-consent-login-way-out = the login page asks consent with the unticked box 「{ $cb }」 and offers 「{ $out }」 to go on without agreeing
explicit-consent-login-back-declines = the login page asks consent with the unticked box 「{ $cb }」, and leaving the page declines it
explicit-consent-login-no-way-on = the login page with 「{ $cb }」 offers no way on without agreeing: no skip or guest option, and back does not leave it
explicit-consent-login-untried = the login page's box 「{ $cb }」 starts unticked but no way on without agreeing is shown: add a `refuse` step to try leaving the page
explicit-consent-agree-unread = the consent prompt shows 「{ $refuse }」 but its agree control could not be read
explicit-consent-no-refuse = the consent prompt offers no way to refuse: it shows only { $shown } and no 不同意 / 拒绝 / 暂不同意
explicit-consent-vague-agree = the only way on is the vague 「{ $labels }」, not a clear 同意: an acknowledgement is not consent
explicit-consent-pre-ticked = the consent box 「{ $text }」 is ticked before the user touched it
explicit-consent-suppressed-refuse = { $why }: a suppressed refuse option steers the user to agree
explicit-consent-pass = the consent prompt offers a clear 「{ $agree }」 and a clear 「{ $refuse }」

## no-popup-loop
no-popup-loop-never-refused = the user never refused a consent prompt in this run: add a `refuse` step
no-popup-loop-loop = the consent prompt came back after each of { $n } refusals{ $through }: the user cannot get past it by refusing
no-popup-loop-back-once = the prompt came back once after the refusal{ $through }: refuse it again to tell a single confirmation from a loop
no-popup-loop-confirmed-once = the prompt came back once to confirm the refusal, then stayed away after the user refused again{ $through }
no-popup-loop-not-watched = nothing was watched after the refusal: add an `observe` step after `refuse` to catch a prompt that comes back
no-popup-loop-pass = after the refusal{ $through } the prompt did not come back in the { $watched } frames that followed

## policy-reachable
policy-reachable-no-search = no search for the privacy policy was made: add an `explore_policy` step
policy-reachable-pass = the privacy policy was reached in { $n } { $n ->
    [one] tap
   *[other] taps
  }: { $path }
policy-reachable-too-deep = the privacy policy takes { $n } taps to reach ({ $path }), more than { $limit }{ $instead }
policy-reachable-too-shallow = the search went only { $n } taps deep and did not find the policy: search { $limit } deep{ $instead }
policy-reachable-not-reached = no screen showing the privacy policy was reached within { $limit } taps ({ $screens } screens and { $taps } taps searched){ $instead }

## no-forced-exit
no-forced-exit-never-refused = the user never refused a consent prompt in this run: add a `refuse` step
no-forced-exit-died = the app's process (pid { $pid }) died after the user refused{ $through }
no-forced-exit-restarted = the app's process was restarted after the user refused{ $through } (pid { $was } became { $now })
no-forced-exit-nothing = nothing
no-forced-exit-mini-program-closed = the mini program was closed after the user refused{ $through }: the host now shows { $fg }
no-forced-exit-left = the app left the foreground after the user refused{ $through }: { $fg } is in front
no-forced-exit-unread = the foreground could not be read after the refusal
no-forced-exit-pass = after { $n ->
    [one] the refusal
   *[other] each of { $n } refusals
  }{ $through } the app stayed in the foreground with the same process

## policy-on-first-launch
policy-on-first-launch-no-fresh-launch = no launch after clearing the app's data was recorded: set `clear_data: true` (or `launch: {"{"}clear_data: true{"}"}`)
policy-on-first-launch-pass = the processing rules were shown on the first launch after a fresh install
policy-on-first-launch-pass-after = the processing rules were shown on the first launch after a fresh install, { $n } frame(s) after it
policy-on-first-launch-the-screen = the screen
policy-on-first-launch-used-first = after a fresh install the app was used (tap 「{ $label }」) before any notice of the processing rules appeared
policy-on-first-launch-no-screen = the app never showed a screen after the fresh launch
policy-on-first-launch-fail = no notice of the processing rules appeared on the first launch after a fresh install ({ $n } screen(s) of the app seen)

## policy-content
policy-content-no-text = no policy text was captured: add `read_policy` on the policy screen, or an `explore_policy` step (with this rule listed it reads the policy it finds to its end)
policy-content-read-note = 「{ $title }」 ({ $chars } characters, { $read } over { $frames } { $frames ->
    [one] frame
   *[other] frames
  })
policy-content-the-policy = the policy
policy-content-read-to-end = read to its end
policy-content-stopped-early = scrolling stopped before its end
policy-content-element-processor = processor
policy-content-element-purposes = purposes
policy-content-element-data-types = data-types
policy-content-element-sensitive = sensitive
policy-content-element-sharing = sharing
policy-content-element-retention = retention
policy-content-element-rights = rights
policy-content-element-contact = contact
policy-content-none-found = no element found
policy-content-found = found { $list }
policy-content-all-found = every element found
policy-content-not-found = not found { $list }
policy-content-manual = a reviewer judges whether { $note } says clearly who processes which data for what, and how: { $found }; { $missing } (the report quotes the sentences)

## minor-rules
minor-rules-no-mention = nothing in { $note } mentions children under 14, minors or guardians: a reviewer judges whether the app may serve them and then needs separate rules and the guardian's consent
minor-rules-mentions = { $note } mentions children: 「{ $quotes }」; a reviewer judges whether these are separate rules for children under 14 with the guardian's separate consent

## permission-purpose
permission-purpose-what-sheet = the { $groups } authorization sheet at frame { $frame }
permission-purpose-what-dialog = the { $groups } permission dialog at frame { $frame }
permission-purpose-no-dialog = no runtime-permission dialog or authorization sheet appeared in this run: open a function that needs a permission (a map, a scanner, face verification)
permission-purpose-stock-phrase = only a stock phrase that names no purpose ({ $quote })
permission-purpose-no-purpose = no purpose
permission-purpose-more = {" "}({ $n } of { $total } dialogs lack one)
permission-purpose-fail = { $what } came with { $why }, on it or on the screen right before it{ $more }
permission-purpose-on-it = on it
permission-purpose-screen-before = on the screen before it (frame { $frame })
permission-purpose-pass = every permission dialog ({ $n }) came with its purpose; { $what } said { $quote } { $place }

## no-upfront-permission
no-upfront-permission-never-launched = the app was never launched in this run
no-upfront-permission-on-launch-frame = on the launch's own frame
no-upfront-permission-frames-after = { $n } frame(s) after the launch
no-upfront-permission-fail = { $groups } was asked at start-up, { $when }, before any function of the app was used
no-upfront-permission-none = no permission was asked at start-up ({ $after } frames after the launch)
no-upfront-permission-pass = all { $n } permission dialog(s) came after the user used a function of the app

## no-bundled-permissions
no-bundled-permissions-no-dialog = no runtime-permission dialog appeared in this run
no-bundled-permissions-several = one dialog asked for several permissions at once ({ $groups })
no-bundled-permissions-several-series = one dialog asked for several permissions at once ({ $groups }, one of a numbered series)
no-bundled-permissions-in-one-go = { $first } and then { $second } were asked in one go, the second right after the first was answered
no-bundled-permissions-pass = { $n } permission dialog(s), each asking for one permission on its own

## no-frequent-reprompt
no-frequent-reprompt-no-dialog = no permission dialog appeared, so none was refused: open a function that asks for a permission and refuse it (`tap: 不允许`)
no-frequent-reprompt-none-refused = { $n } permission dialog(s) appeared but none was refused: refuse one (`tap: 不允许`), then relaunch and switch pages
no-frequent-reprompt-asked-again = { $what } was refused at frame { $refused } and asked again at frame { $again } { $why }
no-frequent-reprompt-on-other-page = on a page that does not need it, after tapping 「{ $label }」{ $relaunch }
no-frequent-reprompt-after-relaunch = {" "}(after a relaunch)
no-frequent-reprompt-on-relaunch = on relaunch, before the user opened any function
no-frequent-reprompt-by-itself = by itself, { $secs } after the refusal, without the user opening its function
no-frequent-reprompt-not-exercised = { $n } refused permission(s), but the run ended right after: relaunch the app and open other pages after refusing
no-frequent-reprompt-allowed = ; asked again { $n } time(s) only when the user opened the function that needs it
no-frequent-reprompt-pass = { $n } refused permission dialog(s) ({ $groups }): not asked again on relaunch or on other pages{ $allowed }

## auth-state-unchanged
auth-state-unchanged-mini-program = a mini program's permissions are its host's ({ $package }): a reviewer must judge the host's authorization settings
auth-state-unchanged-not-read = the app's runtime permissions were not read at least twice (list `auth-state-unchanged` in `rules:` on a device that answers `dumpsys package`)
auth-state-unchanged-fail = { $permission } became granted between frames { $from } and { $to } without the user allowing it in a permission dialog
auth-state-unchanged-pass = { $reads } reads of the runtime permissions: every new grant followed the user's own answer ({ $first } granted at first, { $last } at the end)

## no-collection-before-consent
no-collection-before-consent-no-prompt = no consent prompt was seen, so there is no moment to compare accesses with: launch from a fresh install (`clear_data: true`)
no-collection-before-consent-before = before consent was given
no-collection-before-consent-not-consented = while the user had not consented
no-collection-before-consent-pass = no personal-data app-op was accessed { $when } (app-op records of { $n } frame(s) read)
no-collection-before-consent-access-before = { $name } at { $at } ({ $before } before consent)
no-collection-before-consent-access = { $name } at { $at }
no-collection-before-consent-fail = personal data was read { $when }: { $ops }

## no-background-collection
no-background-collection-never = the app was never in the background with its process alive: add a `home` step and a `wait` after it
no-background-collection-access = { $name } { $after } after the app left the foreground
no-background-collection-running = { $op } running in the background
no-background-collection-fail = personal data was read while the app was in the background: { $found }
no-background-collection-too-short = the app stayed in the background no longer than the { $grace } grace period: `wait` longer after `home`
no-background-collection-pass = no personal-data app-op was accessed during { $secs } in the background

## collection-frequency
collection-frequency-no-stretch = no stretch of at least { $window } with frames at most { $gap } apart was recorded: add an `observe` step (e.g. `observe: {"{"}duration: 30s, interval: 5s{"}"}`)
collection-frequency-no-map = {" "}on screens with no map or nearby function
collection-frequency-fail = { $op } ({ $what }) was read at least { $n } times in { $span } (about every { $median }){ $where_ }, more often than every { $limit } allowed
collection-frequency-pass = no personal-data app-op was read more often than its limit during { $secs } observed

## refusal-keeps-functions
refusal-keeps-functions-left = the app left the foreground ({ $package } in front)
refusal-keeps-functions-process-ended = the app's process ended
refusal-keeps-functions-prompt-back = the consent prompt came back instead
refusal-keeps-functions-refused-with = it was refused with 「{ $text }」
refusal-keeps-functions-nothing-opened = nothing opened (the screen stayed the same)
refusal-keeps-functions-none-opened = no basic function was opened: declare `basic_functions: [...]` and add `check_functions` after `refuse`
refusal-keeps-functions-after-agree = the functions were opened after the user agreed, not after a refusal: put `check_functions` right after `refuse`
refusal-keeps-functions-no-refusal = no refusal happened before `check_functions`: add `refuse` before it
refusal-keeps-functions-broken-item = 「{ $label }」: { $why }
refusal-keeps-functions-refused-permission = a permission
refusal-keeps-functions-refused-consent = consent
refusal-keeps-functions-fail = after the user refused { $refused }, { $n } basic { $n ->
    [one] function
   *[other] functions
  } did not work: { $broken }
refusal-keeps-functions-opened = ; { $list } opened
refusal-keeps-functions-missing = { $missing } never found on the screen after the refusal (check the labels in `basic_functions`, or go to the screen that shows them first){ $opened }
refusal-keeps-functions-pass = after the user refused { $refused }, every basic function still opened: { $opened }

## reconsent-on-change
reconsent-on-change-no-install = no newer build was installed in this run: add `install: {"{"}version: 2, policy_changed: true{"}"}` (simulated app model) or `install: {"{"}apk: app-v2.apk, policy_changed: true{"}"}` (device) after the user agreed, then `launch`
reconsent-on-change-not-said = a build was installed, but the scenario does not say its processing rules changed (`policy_changed: true` on the `install` step): whether they did cannot be seen from outside the app
reconsent-on-change-no-earlier-consent = { $build } was installed before the user consented to the old build, so there was no earlier consent to renew: add `install: {"{"}version: 2, policy_changed: true{"}"}` (simulated app model) or `install: {"{"}apk: app-v2.apk, policy_changed: true{"}"}` (device) after the user agreed, then `launch`
reconsent-on-change-never-launched = { $build } was installed but never launched: add `launch` after the `install` step
reconsent-on-change-cleared = the app's data was cleared before { $build } was launched: that is a fresh install, not an update; launch without clearing data
reconsent-on-change-pass = the first launch of { $build } (rules changed) asked for consent anew: { $title } with an agree control, at frame { $frame }
reconsent-on-change-fail = the first launch of { $build }, whose processing rules changed, went straight to the app (frame { $frame }) with no notice of the new rules and no new consent

## biometric-notice
biometric-notice-capture-screen = a face-capture screen: { $quote }
biometric-notice-camera-opened = the camera opening on a face screen
biometric-notice-no-capture = no face capture happened in this run (no 人脸识别 / 刷脸 screen asking the user to face the camera, no camera opened on a face screen): open the app's face verification
biometric-notice-face-screen-hint = ; the face screen at frame { $frame } states no purpose with an agree control
biometric-notice-no-notice = face data was collected at frame { $frame } ({ $what }) with no separate notice of its purpose, method and scope agreed before it{ $hint }
biometric-notice-not-agreed = a face-recognition notice was shown at frame { $notice } but the user did not agree to it before face data was collected at frame { $frame } ({ $what })
biometric-notice-element-method = method
biometric-notice-element-scope = scope
biometric-notice-element-retention = retention
biometric-notice-stated = {" "}and its { $list }
biometric-notice-missing = {" "}(no { $list } found: a reviewer may check)
biometric-notice-pass = a separate face-recognition notice (frame { $notice }) stated its purpose { $purpose }{ $stated }{ $missing } and was agreed before face data was collected at frame { $frame } ({ $what })

## no-inducement
no-inducement-no-prompt = no consent prompt, permission dialog or authorization sheet appeared in this run: nothing to look for rewards next to
no-inducement-quote = frame { $frame } { $quote } ({ $word })
no-inducement-none = { $n } authorization prompt(s) checked: no reward wording (红包, 积分, 优惠券 …) on them or on the screen right before; a reward drawn only as a picture is not read, so a person confirms from the frames
no-inducement-manual = { $with_reward } of { $n } authorization prompt(s) shown next to reward wording: { $quotes }; a person judges whether the reward is offered for the consent or authorization

## masked-identifiers
masked-identifiers-payee-screen = a screen confirming a transfer's payee
masked-identifiers-after-auth = right after the user authenticated on frame { $frame }
masked-identifiers-more = , and { $others } more { $others ->
    [one] number
   *[other] numbers
  } in full (frames { $frames })
masked-identifiers-kind-bank-card = bank card number
masked-identifiers-kind-mobile = mobile number
masked-identifiers-kind-resident-id = resident ID number
masked-identifiers-fail = frame { $frame } shows the { $kind } { $number } in full (in { $line }){ $more }: it must be masked unless the user must confirm it or proved who they are
masked-identifiers-excused = frame { $frame } shows the { $kind } { $number } in full on { $why }: a reviewer confirms the user must see it whole there
masked-identifiers-pass = identifiers showed masked on { $n } { $n ->
    [one] frame
   *[other] frames
  } (frame { $frame }: { $shown }) and in full on none
masked-identifiers-none = no screen in { $n } frames showed a bank card, mobile or ID number, masked or not: open the screens that show them (bank cards, account, personal details)

## password-masked
password-masked-exposed = the password typed in this run showed in clear on frame { $frame } (hidden in the saved frame; the box marks where)
password-masked-mixed = masks its { $count } characters with different characters
password-masked-clear = shows { $clear } typed characters in clear
password-masked-fail = { $name } { $bad } on frame { $frame }: it must show one and the same mask character for each
password-masked-echo = {" "}(the last character echoed a moment, as Android's "show passwords" does)
password-masked-pass = { $name } showed { $count } mask characters, all the same, on frame { $frame }{ $echo }; the typed password showed nowhere
password-masked-none-typed = no password box was typed into in this run: tap the box, then `type: {"{"}secret: ENV{"}"}`

## secure-auth-screens
secure-auth-screens-untitled = untitled
secure-auth-screens-login-password = a login password
secure-auth-screens-payment-password = a payment password
secure-auth-screens-gesture = a gesture
secure-auth-screens-fail = the screen where { $what } is entered (frame { $frame }, { $title }) can be captured: its window is not secure (no FLAG_SECURE in `dumpsys window`) and the screenshot shows it
secure-auth-screens-pass = every screen where a password or gesture is entered was a secure window ({ $n } { $n ->
    [one] frame
   *[other] frames
  }, first frame { $first }: captured black)
secure-auth-screens-unknown = the device did not say whether the password screens' windows are secure (`dumpsys window windows`), and their screenshots were not black
secure-auth-screens-none = no screen where a password, payment password or gesture is entered was seen: open the login or payment screen

## vague-auth-errors
vague-auth-errors-existence = after a failed login the app said { $said } (frame { $frame }): 「{ $word }」 tells whether the account exists; say only that the account or password is wrong
vague-auth-errors-personal-data = after a failed login the app's message shows personal data ({ $shown }) on frame { $frame }
vague-auth-errors-pass = a failed login said { $said } (frame { $frame }): it tells neither whether the account exists nor any personal data
vague-auth-errors-no-submit = no login was submitted after typing a password in this run: type a wrong password and tap the login button
vague-auth-errors-no-message = the logins submitted in this run showed no failure message: type a wrong password to see one

## password-cleared-on-return
password-cleared-on-return-fail = { $name } was typed into on frame { $typed }, left on frame { $left }, and still held the password when the user came back on frame { $back }
password-cleared-on-return-pass = { $name }, typed into on frame { $typed }, was empty when the user came back on frame { $back }
password-cleared-on-return-not-left = a password box was typed into but never left and come back to: add `back` (or open another page) and return to it
password-cleared-on-return-none-typed = no password box was typed into in this run: tap the box, then `type: {"{"}secret: ENV{"}"}`
