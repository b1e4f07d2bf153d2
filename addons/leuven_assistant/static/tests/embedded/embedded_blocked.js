// A website that is not allowed: the visitor sees an error, not a broken page.
(async () => {
    await wait(find("[part~=error]"), "an error shown to the visitor");
    console.log("test successful");
})().catch((error) => console.error(error.message));
