// The sandbox function's code under another name: its worker must get a different, private /tmp.
import "../sandbox/index.ts";
