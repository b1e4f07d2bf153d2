// A visitor of another website runs a topic to its outcome.
(async () => {
    // the page listens from before the component loads
    const events = window.assistantEvents;
    await wait(() => events.includes("assistant-start"), "the start event");
    (await wait(find("label", "Ja"), "first question")).click();
    (await wait(find("button", "Volgende"), "next")).click();
    await wait(find("legend", "betalende parkeerzone"), "second question");
    (await wait(find("label", "Nee"), "answer no")).click();
    (await wait(find("button", "Volgende"), "next")).click();
    (await wait(find("button", "Toon het resultaat"), "summary")).click();
    await wait(find("*", "U hebt geen bewonerskaart nodig"), "outcome");
    await wait(() => events.includes("assistant-outcome"), "outcome event");
    if (!events.includes("assistant-answer")) {
        throw new Error(`no answer event in ${JSON.stringify(events)}`);
    }
    // the answers reach the city's server before the test ends
    await new Promise((resolve) => setTimeout(resolve, 1000));
    console.log("test successful");
})().catch((error) => console.error(error.message));
