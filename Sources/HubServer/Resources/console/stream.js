// The event log, live: follows /api/v1/stream from the last seq seen. A dropped socket is
// reopened from that seq, so nothing is missed and nothing is applied twice; there is no
// polling and no refetch on reconnect.
export class EventStream {
  /**
   * @param {number} after the seq to follow from (the session's `seq` when the lists were loaded)
   * @param {(event: object) => void} onEvent called once per event, in seq order
   * @param {(frame: object) => void} onPresence called with `{"type": "presence"}` frames
   * @param {(connected: boolean) => void} onState
   */
  constructor(after, { onEvent, onPresence, onState }) {
    this.seq = after;
    this.onEvent = onEvent;
    this.onPresence = onPresence;
    this.onState = onState;
    this.watching = { conversation: null, typing: false };
    this.reconnects = 0;
    this.delay = 100;
    this.stopped = false;
    this.open();
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/stream?after=${this.seq}`);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 100;
      this.onState(true);
      this.sendWatch();
    };
    socket.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (typeof frame.seq === "number") {
        if (frame.seq <= this.seq) return;
        frame.receivedAt = performance.timeOrigin + performance.now();
        this.seq = frame.seq;
        this.onEvent(frame);
      } else if (frame.type === "presence") {
        this.onPresence(frame);
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.onState(false);
      if (this.stopped) return;
      this.reconnects += 1;
      const wait = this.delay;
      this.delay = Math.min(this.delay * 2, 3000);
      this.timer = setTimeout(() => this.open(), wait);
    };
  }

  /** Tells the hub which conversation this console shows, and whether the agent is typing. */
  watch(conversation, typing = false) {
    if (this.watching.conversation === conversation && this.watching.typing === typing) return;
    this.watching = { conversation, typing };
    this.sendWatch();
  }

  sendWatch() {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: "watch", ...this.watching }));
    }
  }

  /** Closes the socket as a network failure would; the stream reopens itself (tests use this). */
  drop() {
    this.socket?.close();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }
}
