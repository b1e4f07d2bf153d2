// Built-in texts of the component: Dutch first, English as second set.
export const MESSAGES = {
  nl: {
    loading: "Het onderwerp wordt geladen…",
    loadFailed: "Dit onderwerp kan nu niet worden geladen. Probeer het later opnieuw.",
    unknownTopic: "Dit onderwerp bestaat niet (meer).",
    startFailed:
      "Uw antwoorden worden nu niet bewaard. U kunt de vragen wel beantwoorden.",
    step: "Vraag {n}",
    previous: "Vorige",
    next: "Volgende",
    yes: "Ja",
    no: "Nee",
    required: "Beantwoord deze vraag om verder te gaan.",
    requiredChoice: "Kies een antwoord om verder te gaan.",
    requiredChoices: "Kies minstens één antwoord om verder te gaan.",
    invalidNumber: "Geef een getal in, bijvoorbeeld 12 of 3,5.",
    invalidDate: "Geef een geldige datum in (dag, maand en jaar).",
    invalidPostcode: "Geef een geldige postcode van 4 cijfers in, bijvoorbeeld 3000.",
    summary: "Uw antwoorden",
    change: "Wijzigen",
    changeLabel: "Wijzig uw antwoord op: {q}",
    showResult: "Toon het resultaat",
    result: "Resultaat",
    resultAnnounce: "Resultaat: {titles}",
    noOutcome:
      "Op basis van uw antwoorden kunnen we geen resultaat geven. Stel uw vraag gerust aan de stad.",
    legalBasis: "Rechtsgrond",
    nextSteps: "Volgende stappen",
    links: "Meer informatie",
    why: "Waarom dit resultaat?",
    becauseYouAnswered: "omdat u antwoordde:",
    illustrative:
      "Dit is een illustratief voorbeeld: het resultaat is geen officiële beslissing.",
    question: "Ik heb nog een vraag",
    restart: "Opnieuw beginnen",
    handoffTitle: "Stel uw vraag aan de stad",
    handoffIntro:
      "Uw antwoorden worden meegestuurd. Een medewerker van de stad neemt contact met u op.",
    handoffIntroAgent: "De antwoorden worden bij de vraag van de burger bewaard.",
    name: "Naam",
    email: "E-mailadres",
    phone: "Telefoonnummer",
    message: "Uw vraag of opmerking",
    messageAgent: "Notitie bij de vraag",
    requiredField: "(verplicht)",
    contactHint: "Vul een e-mailadres of een telefoonnummer in (minstens één).",
    send: "Vraag versturen",
    sending: "Bezig met versturen…",
    cancel: "Annuleren",
    nameRequired: "Vul uw naam in.",
    contactRequired: "Vul een e-mailadres of een telefoonnummer in.",
    emailInvalid: "Geef een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.be.",
    messageRequired: "Vul de notitie in.",
    formErrors: "Het formulier bevat fouten. Verbeter de aangeduide velden.",
    handoffDone: "Uw vraag is geregistreerd onder nummer {case}.",
    handoffFailed:
      "Uw vraag kon niet worden verstuurd. Probeer het later opnieuw; wat u invulde blijft bewaard.",
    rateLimited:
      "Er werden te veel aanvragen verstuurd. Wacht enkele minuten en probeer het opnieuw.",
    forbidden: "U hebt geen toegang tot deze functie.",
    back: "Terug naar het resultaat",
  },
  en: {
    loading: "Loading the topic…",
    loadFailed: "This topic cannot be loaded now. Please try again later.",
    unknownTopic: "This topic does not exist (any more).",
    startFailed: "Your answers are not being saved now. You can still answer the questions.",
    step: "Question {n}",
    previous: "Previous",
    next: "Next",
    yes: "Yes",
    no: "No",
    required: "Answer this question to continue.",
    requiredChoice: "Choose an answer to continue.",
    requiredChoices: "Choose at least one answer to continue.",
    invalidNumber: "Enter a number, for example 12 or 3.5.",
    invalidDate: "Enter a valid date (day, month and year).",
    invalidPostcode: "Enter a valid 4-digit postcode, for example 3000.",
    summary: "Your answers",
    change: "Change",
    changeLabel: "Change your answer to: {q}",
    showResult: "Show the result",
    result: "Result",
    resultAnnounce: "Result: {titles}",
    noOutcome:
      "We cannot give a result based on your answers. Feel free to ask the city your question.",
    legalBasis: "Legal basis",
    nextSteps: "Next steps",
    links: "More information",
    why: "Why this result?",
    becauseYouAnswered: "because you answered:",
    illustrative: "This is an illustrative example: the result is not an official decision.",
    question: "I still have a question",
    restart: "Start again",
    handoffTitle: "Ask the city your question",
    handoffIntro: "Your answers are sent along. A city employee will contact you.",
    handoffIntroAgent: "The answers are kept with the citizen's question.",
    name: "Name",
    email: "E-mail address",
    phone: "Phone number",
    message: "Your question or remark",
    messageAgent: "Note with the question",
    requiredField: "(required)",
    contactHint: "Fill in an e-mail address or a phone number (at least one).",
    send: "Send question",
    sending: "Sending…",
    cancel: "Cancel",
    nameRequired: "Fill in your name.",
    contactRequired: "Fill in an e-mail address or a phone number.",
    emailInvalid: "Enter a valid e-mail address, for example name@example.be.",
    messageRequired: "Fill in the note.",
    formErrors: "The form has errors. Please correct the marked fields.",
    handoffDone: "Your question has been registered under number {case}.",
    handoffFailed:
      "Your question could not be sent. Please try again later; what you filled in is kept.",
    rateLimited: "Too many requests were sent. Wait a few minutes and try again.",
    forbidden: "You do not have access to this function.",
    back: "Back to the result",
  },
};

export function message(lang, key, params = {}) {
  const set = MESSAGES[lang] || MESSAGES.nl;
  const text = set[key] ?? MESSAGES.nl[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** A text of the package ({"nl": "...", "en": "..."}) in `lang`, else Dutch. */
export function localized(text, lang) {
  if (text === null || text === undefined) return "";
  if (typeof text !== "object") return String(text);
  return text[lang] ?? text.nl ?? Object.values(text)[0] ?? "";
}
