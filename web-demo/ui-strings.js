// The app's own strings, in Khmer and English. Everything a learner reads about the
// *content* (questions, lessons, the hotline, the card) comes from the pack through the
// engine; these are only the words of the app around it (buttons, headings, messages).
//
// `{name}` placeholders are filled by `t()`; numbers passed in are written with Khmer digits
// in Khmer. The Khmer strings are a draft, like the pack's Khmer: have them reviewed.

export const LANGS = [
  { tag: "km", name: "ខ្មែរ" },
  { tag: "en", name: "English" },
];

export const STRINGS = {
  en: {
    appName: "kru",
    appTagline: "Safe migration",
    langSwitch: "Language",
    loading: "Loading…",
    skipToContent: "Skip to content",
    home: "Home",
    // mode chooser
    chooseMode: "Who is using this device?",
    modeKiosk: "Kiosk",
    modeKioskHint: "A visitor at a commune office or a kiosk screen: five minutes, on their own.",
    modeClass: "Class",
    modeClassHint: "A teacher and a class: each learner takes the full school session.",
    modeReport: "Report",
    modeReportHint: "Results of a session or of everything on this device, downloads, settings.",
    offlineReady: "Ready to work offline.",
    offlineNotYet: "Preparing offline use…",
    // kiosk
    kioskWelcome: "Thinking of working far from home?",
    kioskPitch: "Learn the six key messages for safe migration in five minutes.",
    start: "Start",
    startKm: "ចាប់ផ្តើម",
    startEn: "Start",
    hotlineLine: "In trouble? Call {phone}. The call is free.",
    callNow: "Call {phone}",
    finish: "Finish",
    yourResult: "Your result",
    resultLine: "You knew {pre} of {max} before, {post} of {max2} now.",
    resultBefore: "Before",
    resultNow: "Now",
    resultGreat: "Well done! Share these messages with your family.",
    resultKeep: "Keep this card and share it with your family.",
    idleTitle: "Are you still there?",
    idleBody: "Touch the screen to continue. Otherwise we start again for the next visitor in {seconds} seconds, and your answers are cleared from the screen.",
    idleContinue: "I am still here",
    // class
    classTitle: "Class sessions",
    classNew: "Start a new class session",
    classSchool: "School",
    classClass: "Class",
    classDate: "Date",
    classStart: "Start the session",
    classList: "Sessions on this device",
    classNone: "No class session yet.",
    classOpen: "Open",
    classLearners: "{n} learners",
    classSessionOf: "{school}, class {className}, {date}",
    learnerTitle: "Next learner",
    learnerCode: "Learner code",
    learnerCodeHint: "A code the teacher gives you, never your name (for example S07).",
    learnerStart: "Start",
    learnerCodeUsed: "This code was already used in this session. Use it again only if it is the same learner.",
    learnerDone: "{n} learners have finished in this session.",
    nextLearner: "Next learner",
    backToClasses: "All class sessions",
    sessionReport: "Report of this session",
    fieldRequired: "Please fill this in.",
    // steps
    questionOf: "Question {n} of {total}",
    pageOf: "Page {n} of {total}",
    progress: "Progress",
    next: "Next",
    check: "Check my answer",
    continue: "Continue",
    skip: "Skip",
    listen: "Listen",
    chooseOne: "Choose one answer.",
    chooseAll: "Choose all the answers that are right.",
    trueLabel: "True",
    falseLabel: "False",
    orderHint: "Tap the steps in the right order, first step first.",
    orderYours: "Your order",
    orderLeft: "Steps to place",
    orderEmpty: "Nothing placed yet.",
    orderReset: "Start the order again",
    orderAdded: "Step {n}: {text}",
    matchHint: "For each line on the left, choose the one that goes with it.",
    matchChoose: "Choose…",
    typeAnswer: "Type your answer",
    typeNumber: "Type a number",
    correct: "Correct!",
    incorrect: "Not quite.",
    partly: "Partly right.",
    rightAnswer: "The right answer:",
    rightIsTrue: "The right answer: true.",
    rightIsFalse: "The right answer: false.",
    summaryScore: "You got {correct} of {max} right.",
    storyYouChose: "You chose:",
    endingSafe: "A safe ending",
    endingUnsafe: "An unsafe ending",
    endingNeutral: "The end of the story",
    storyNext: "The story goes on",
    keyMessage: "Key message {n}",
    hotline: "Hotline",
    verified: "Number checked on {date}",
    // errors
    refusedTitle: "This content pack was refused",
    refusedBody: "The app only opens content packs signed by a trusted publisher. This pack is unsigned, signed by someone else, or was changed after it was signed (for example a different hotline number). It was not opened.",
    refusedDetail: "Technical detail",
    loadFailedTitle: "The app could not start",
    loadFailedBody: "Check that the device was online the first time this app was opened.",
    answerError: "That answer cannot be taken: {message}",
    // report
    reportTitle: "Report",
    reportSource: "Results of",
    reportAll: "Everything on this device",
    reportKiosk: "Kiosk visitors",
    reportClass: "Class: {label}",
    reportJourney: "Session type",
    journeySchool: "School session",
    journeyKiosk: "Kiosk",
    reportBy: "Compare groups by",
    reportByNone: "No groups",
    reportShow: "Show",
    reportShowAll: "Everyone",
    reportEmpty: "No results yet for this choice.",
    statLearners: "Learners",
    statCompleted: "Completed",
    statPaired: "With both tests",
    statPre: "Before (pre-test)",
    statPost: "After (post-test)",
    statGain: "Gain (percentage points)",
    statNormGain: "Normalised gain",
    points: "{n} points",
    chartByMessage: "Right answers per key message, before and after",
    chartOverall: "The whole test",
    chartLegendPre: "Before",
    chartLegendPost: "After",
    chartGain: "How much each learner gained",
    chartGainAxis: "Gain in points (after − before)",
    chartLearnersAxis: "Learners",
    groupsTable: "Groups",
    group: "Group",
    itemsTable: "Questions",
    itemId: "Question",
    itemMessage: "Key message",
    itemKind: "Type",
    itemPre: "Right before",
    itemPost: "Right after",
    itemChange: "Change",
    warnings: "Read with care",
    downloads: "Downloads",
    downloadCsv: "Raw responses (CSV)",
    downloadHtml: "This report (HTML)",
    downloadLog: "Results log (to carry to a computer)",
    settings: "Settings",
    wipe: "Wipe this device",
    wipeHint: "Deletes every result, class session and saved quiz on this device, and the offline copy of the app. Download the results log first.",
    wipeConfirmTitle: "Wipe this device?",
    wipeConfirmBody: "Every result on this device will be deleted. This cannot be undone.",
    wipeConfirm: "Yes, wipe everything",
    cancel: "Cancel",
    wiped: "This device was wiped.",
    engineMissing: "Needs the engine's cohort report ({what}): not in this build of the engine.",
    notAnswered: "(not answered)",
    otherGroup: "(other)",
    version: "Engine {engine} · pack {pack} {packVersion} · signed by key {key}",
  },
  km: {
    appName: "គ្រូ",
    appTagline: "ចំណាកស្រុកដោយសុវត្ថិភាព",
    langSwitch: "ភាសា",
    loading: "កំពុងផ្ទុក…",
    skipToContent: "រំលងទៅមាតិកា",
    home: "ទំព័រដើម",
    chooseMode: "តើនរណាកំពុងប្រើឧបករណ៍នេះ?",
    modeKiosk: "គីយ៉ូស",
    modeKioskHint: "អ្នកមកលេងនៅសាលាឃុំ ឬនៅអេក្រង់គីយ៉ូស៖ ប្រាំនាទី ដោយខ្លួនឯង។",
    modeClass: "ថ្នាក់រៀន",
    modeClassHint: "គ្រូ និងថ្នាក់រៀន៖ សិស្សម្នាក់ៗធ្វើវគ្គសិក្សាពេញលេញសម្រាប់សាលា។",
    modeReport: "របាយការណ៍",
    modeReportHint: "លទ្ធផលនៃវគ្គមួយ ឬទាំងអស់នៅលើឧបករណ៍នេះ ការទាញយក និងការកំណត់។",
    offlineReady: "អាចប្រើបានដោយគ្មានអ៊ីនធឺណិត។",
    offlineNotYet: "កំពុងរៀបចំសម្រាប់ប្រើដោយគ្មានអ៊ីនធឺណិត…",
    kioskWelcome: "កំពុងគិតចង់ទៅធ្វើការឆ្ងាយពីផ្ទះមែនទេ?",
    kioskPitch: "រៀនសារគន្លឹះ ៦ សម្រាប់ការធ្វើចំណាកស្រុកដោយសុវត្ថិភាព ក្នុងរយៈពេលប្រាំនាទី។",
    start: "ចាប់ផ្តើម",
    startKm: "ចាប់ផ្តើម",
    startEn: "Start",
    hotlineLine: "មានបញ្ហា? ហៅលេខ {phone}។ ការហៅគឺឥតគិតថ្លៃ។",
    callNow: "ហៅលេខ {phone}",
    finish: "បញ្ចប់",
    yourResult: "លទ្ធផលរបស់អ្នក",
    resultLine: "មុនមេរៀន អ្នកដឹង {pre} ក្នុងចំណោម {max}។ ឥឡូវនេះ អ្នកដឹង {post} ក្នុងចំណោម {max2}។",
    resultBefore: "មុនមេរៀន",
    resultNow: "ឥឡូវនេះ",
    resultGreat: "ល្អណាស់! ចែករំលែកសារទាំងនេះ ជាមួយគ្រួសាររបស់អ្នក។",
    resultKeep: "រក្សាកាតនេះទុក ហើយចែករំលែកវាជាមួយគ្រួសាររបស់អ្នក។",
    idleTitle: "តើអ្នកនៅទីនេះទេ?",
    idleBody: "សូមប៉ះអេក្រង់ ដើម្បីបន្ត។ បើមិនដូច្នោះទេ យើងនឹងចាប់ផ្តើមឡើងវិញសម្រាប់អ្នកបន្ទាប់ ក្នុងរយៈពេល {seconds} វិនាទីទៀត ហើយចម្លើយរបស់អ្នកនឹងត្រូវលុបចេញពីអេក្រង់។",
    idleContinue: "ខ្ញុំនៅទីនេះ",
    classTitle: "វគ្គសិក្សាក្នុងថ្នាក់",
    classNew: "ចាប់ផ្តើមវគ្គសិក្សាថ្មី",
    classSchool: "សាលារៀន",
    classClass: "ថ្នាក់",
    classDate: "កាលបរិច្ឆេទ",
    classStart: "ចាប់ផ្តើមវគ្គ",
    classList: "វគ្គសិក្សានៅលើឧបករណ៍នេះ",
    classNone: "មិនទាន់មានវគ្គសិក្សានៅឡើយទេ។",
    classOpen: "បើក",
    classLearners: "សិស្ស {n} នាក់",
    classSessionOf: "{school} ថ្នាក់ {className} ថ្ងៃទី {date}",
    learnerTitle: "សិស្សបន្ទាប់",
    learnerCode: "លេខកូដសិស្ស",
    learnerCodeHint: "លេខកូដដែលគ្រូឱ្យអ្នក មិនមែនឈ្មោះរបស់អ្នកទេ (ឧទាហរណ៍ S07)។",
    learnerStart: "ចាប់ផ្តើម",
    learnerCodeUsed: "លេខកូដនេះត្រូវបានប្រើរួចហើយក្នុងវគ្គនេះ។ ប្រើវាម្តងទៀត លុះត្រាតែជាសិស្សដដែល។",
    learnerDone: "សិស្ស {n} នាក់ បានបញ្ចប់ក្នុងវគ្គនេះ។",
    nextLearner: "សិស្សបន្ទាប់",
    backToClasses: "វគ្គសិក្សាទាំងអស់",
    sessionReport: "របាយការណ៍នៃវគ្គនេះ",
    fieldRequired: "សូមបំពេញចន្លោះនេះ។",
    questionOf: "សំណួរទី {n} ក្នុងចំណោម {total}",
    pageOf: "ទំព័រ {n} ក្នុងចំណោម {total}",
    progress: "វឌ្ឍនភាព",
    next: "បន្ទាប់",
    check: "ពិនិត្យចម្លើយរបស់ខ្ញុំ",
    continue: "បន្ត",
    skip: "រំលង",
    listen: "ស្តាប់",
    chooseOne: "ជ្រើសរើសចម្លើយមួយ។",
    chooseAll: "ជ្រើសរើសចម្លើយទាំងអស់ដែលត្រឹមត្រូវ។",
    trueLabel: "ត្រូវ",
    falseLabel: "ខុស",
    orderHint: "ប៉ះជំហានតាមលំដាប់ត្រឹមត្រូវ ដោយចាប់ផ្តើមពីជំហានទីមួយ។",
    orderYours: "លំដាប់របស់អ្នក",
    orderLeft: "ជំហានដែលត្រូវដាក់",
    orderEmpty: "មិនទាន់បានដាក់អ្វីនៅឡើយទេ។",
    orderReset: "រៀបលំដាប់ម្តងទៀត",
    orderAdded: "ជំហានទី {n}៖ {text}",
    matchHint: "សម្រាប់បន្ទាត់នីមួយៗនៅខាងឆ្វេង សូមជ្រើសរើសអ្វីដែលត្រូវគ្នា។",
    matchChoose: "ជ្រើសរើស…",
    typeAnswer: "វាយចម្លើយរបស់អ្នក",
    typeNumber: "វាយលេខ",
    correct: "ត្រឹមត្រូវ!",
    incorrect: "មិនទាន់ត្រឹមត្រូវទេ។",
    partly: "ត្រឹមត្រូវមួយផ្នែក។",
    rightAnswer: "ចម្លើយត្រឹមត្រូវ៖",
    rightIsTrue: "ចម្លើយត្រឹមត្រូវ៖ ត្រូវ។",
    rightIsFalse: "ចម្លើយត្រឹមត្រូវ៖ ខុស។",
    summaryScore: "អ្នកឆ្លើយត្រូវ {correct} ក្នុងចំណោម {max}។",
    storyYouChose: "អ្នកបានជ្រើសរើស៖",
    endingSafe: "ការបញ្ចប់ដោយសុវត្ថិភាព",
    endingUnsafe: "ការបញ្ចប់ដែលគ្មានសុវត្ថិភាព",
    endingNeutral: "ចុងបញ្ចប់នៃរឿង",
    storyNext: "រឿងនៅបន្តទៀត",
    keyMessage: "សារគន្លឹះទី {n}",
    hotline: "ខ្សែទូរស័ព្ទជំនួយ",
    verified: "លេខបានពិនិត្យនៅថ្ងៃទី {date}",
    refusedTitle: "កញ្ចប់មាតិកានេះត្រូវបានបដិសេធ",
    refusedBody: "កម្មវិធីនេះបើកតែកញ្ចប់មាតិកាដែលមានហត្ថលេខាពីអ្នកបោះពុម្ពដែលគួរទុកចិត្តប៉ុណ្ណោះ។ កញ្ចប់នេះគ្មានហត្ថលេខា មានហត្ថលេខារបស់អ្នកផ្សេង ឬត្រូវបានគេកែប្រែក្រោយពេលចុះហត្ថលេខា (ឧទាហរណ៍ លេខទូរស័ព្ទជំនួយខុសពីដើម)។ វាមិនត្រូវបានបើកទេ។",
    refusedDetail: "ព័ត៌មានបច្ចេកទេស",
    loadFailedTitle: "កម្មវិធីមិនអាចចាប់ផ្តើមបានទេ",
    loadFailedBody: "សូមប្រាកដថា ឧបករណ៍មានអ៊ីនធឺណិត នៅពេលបើកកម្មវិធីនេះជាលើកដំបូង។",
    answerError: "មិនអាចទទួលយកចម្លើយនេះបានទេ៖ {message}",
    reportTitle: "របាយការណ៍",
    reportSource: "លទ្ធផលនៃ",
    reportAll: "ទាំងអស់នៅលើឧបករណ៍នេះ",
    reportKiosk: "អ្នកមកលេងគីយ៉ូស",
    reportClass: "ថ្នាក់៖ {label}",
    reportJourney: "ប្រភេទវគ្គ",
    journeySchool: "វគ្គសិក្សានៅសាលា",
    journeyKiosk: "គីយ៉ូស",
    reportBy: "ប្រៀបធៀបក្រុមតាម",
    reportByNone: "គ្មានក្រុម",
    reportShow: "បង្ហាញ",
    reportShowAll: "ទាំងអស់គ្នា",
    reportEmpty: "មិនទាន់មានលទ្ធផលសម្រាប់ជម្រើសនេះនៅឡើយទេ។",
    statLearners: "អ្នកសិក្សា",
    statCompleted: "បានបញ្ចប់",
    statPaired: "មានតេស្តទាំងពីរ",
    statPre: "មុនមេរៀន (តេស្តមុន)",
    statPost: "ក្រោយមេរៀន (តេស្តក្រោយ)",
    statGain: "ការកើនឡើង (ពិន្ទុភាគរយ)",
    statNormGain: "ការកើនឡើងធៀបនឹងអ្វីដែលអាចកើនបាន",
    points: "{n} ពិន្ទុ",
    chartByMessage: "ចម្លើយត្រឹមត្រូវតាមសារគន្លឹះនីមួយៗ មុន និងក្រោយមេរៀន",
    chartOverall: "តេស្តទាំងមូល",
    chartLegendPre: "មុន",
    chartLegendPost: "ក្រោយ",
    chartGain: "ការកើនឡើងរបស់អ្នកសិក្សាម្នាក់ៗ",
    chartGainAxis: "ការកើនឡើងគិតជាពិន្ទុ (ក្រោយ − មុន)",
    chartLearnersAxis: "អ្នកសិក្សា",
    groupsTable: "ក្រុម",
    group: "ក្រុម",
    itemsTable: "សំណួរ",
    itemId: "សំណួរ",
    itemMessage: "សារគន្លឹះ",
    itemKind: "ប្រភេទ",
    itemPre: "ត្រូវ មុនមេរៀន",
    itemPost: "ត្រូវ ក្រោយមេរៀន",
    itemChange: "ការផ្លាស់ប្តូរ",
    warnings: "សូមអានដោយប្រុងប្រយ័ត្ន",
    downloads: "ទាញយក",
    downloadCsv: "ចម្លើយដើម (CSV)",
    downloadHtml: "របាយការណ៍នេះ (HTML)",
    downloadLog: "កំណត់ត្រាលទ្ធផល (ដើម្បីយកទៅកុំព្យូទ័រ)",
    settings: "ការកំណត់",
    wipe: "លុបទិន្នន័យទាំងអស់ពីឧបករណ៍នេះ",
    wipeHint: "លុបលទ្ធផល វគ្គសិក្សា និងតេស្តដែលបានរក្សាទុកទាំងអស់នៅលើឧបករណ៍នេះ ព្រមទាំងច្បាប់ចម្លងកម្មវិធីសម្រាប់ប្រើដោយគ្មានអ៊ីនធឺណិត។ សូមទាញយកកំណត់ត្រាលទ្ធផលជាមុនសិន។",
    wipeConfirmTitle: "លុបទិន្នន័យទាំងអស់ពីឧបករណ៍នេះ?",
    wipeConfirmBody: "លទ្ធផលទាំងអស់នៅលើឧបករណ៍នេះនឹងត្រូវលុប។ មិនអាចយកមកវិញបានទេ។",
    wipeConfirm: "បាទ/ចាស លុបទាំងអស់",
    cancel: "បោះបង់",
    wiped: "ទិន្នន័យលើឧបករណ៍នេះត្រូវបានលុបហើយ។",
    engineMissing: "ត្រូវការរបាយការណ៍ក្រុមរបស់ម៉ាស៊ីន ({what})៖ មិនមាននៅក្នុងកំណែនេះទេ។",
    notAnswered: "(មិនបានឆ្លើយ)",
    otherGroup: "(ផ្សេងៗ)",
    version: "ម៉ាស៊ីន {engine} · កញ្ចប់ {pack} {packVersion} · ហត្ថលេខាដោយកូនសោ {key}",
  },
};

const KHMER_ZERO = 0x17e0;

/** Writes the ASCII digits of `s` as Khmer digits. */
export function khmerDigits(s) {
  return String(s).replace(/[0-9]/g, (d) => String.fromCharCode(KHMER_ZERO + Number(d)));
}

/**
 * A number for display in `lang`: rounded to `decimals` places (trailing zeros dropped),
 * Khmer digits in Khmer.
 */
export function num(lang, n, decimals = 1) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  const factor = 10 ** decimals;
  let s = String(Math.round(Number(n) * factor) / factor);
  if (s === "-0") s = "0";
  return lang === "km" ? khmerDigits(s) : s;
}

/** A percentage for display (`"67 %"`), Khmer digits in Khmer. */
export function pct(lang, n) {
  if (n === null || n === undefined) return "–";
  return `${num(lang, n, 0)}%`;
}

/** A signed value (`"+33"`), Khmer digits in Khmer. */
export function signed(lang, n, decimals = 0) {
  if (n === null || n === undefined) return "–";
  const s = num(lang, Math.abs(n), decimals);
  return (n > 0.0005 ? "+" : n < -0.0005 ? "−" : "") + s;
}

/**
 * The string `key` in `lang` (English when missing), with `{name}` filled from `vars`.
 * Numbers in `vars` are formatted with `num`.
 */
export function t(lang, key, vars = {}) {
  const table = STRINGS[lang] ?? STRINGS.en;
  let s = table[key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, name) => {
    const v = vars[name];
    if (v === undefined) return `{${name}}`;
    return typeof v === "number" ? num(lang, v) : String(v);
  });
}

/** A calendar date `{year, month, day}` or `YYYY-MM-DD` as text in `lang`. */
export function date(lang, d) {
  if (!d) return "";
  const iso = typeof d === "string"
    ? d
    : `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
  if (lang !== "km") return iso;
  const [y, m, day] = iso.split("-");
  return khmerDigits(`${Number(day)}/${Number(m)}/${y}`);
}
