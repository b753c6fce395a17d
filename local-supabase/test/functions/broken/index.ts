// Fails while the module initialises, so the worker never serves (a syntax error is covered by
// functions-config.test.ts, which writes one at run time).
throw new Error("this function cannot start");
