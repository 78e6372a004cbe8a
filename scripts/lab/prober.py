#!/usr/bin/python3
"""Probe the VIP over HTTP every INTERVAL ms and log every outcome.

Usage (inside the client namespace): prober.py VIP PORT INTERVAL_MS OUT_FILE

Probes are launched on a fixed schedule and run concurrently, each with its
own timeout, so one probe stuck behind a stale ARP entry does not delay the
next: the time a probe was *sent* is what measures availability, to within
one interval. Each line of OUT_FILE is
    SENT_MS DONE_MS NODE          (an answer; NODE is the body)
    SENT_MS DONE_MS - ERROR       (no answer)
with times in ms since the epoch.
"""
import asyncio
import signal
import sys
import time

vip, port, interval_ms, out_path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
# Under the kernel's 1 s initial SYN retransmit timeout: a probe whose first SYN
# was lost (sent to a MAC that no longer holds the VIP) counts as lost instead
# of being answered late and hiding the outage.
TIMEOUT = 0.9
out = open(out_path, "a", buffering=1)


async def exchange():
    writer = None
    try:
        reader, writer = await asyncio.open_connection(vip, port)
        writer.write(b"GET / HTTP/1.0\r\nHost: lab\r\n\r\n")
        return await reader.read()
    finally:
        if writer is not None:
            writer.close()


async def probe():
    sent = time.time()
    try:
        data = await asyncio.wait_for(exchange(), TIMEOUT)
        body = data.split(b"\r\n\r\n", 1)[1].decode(errors="replace").strip() if b"\r\n\r\n" in data else ""
        line = f"{sent*1000:.1f} {time.time()*1000:.1f} {body or '-'}{'' if body else ' EMPTY'}"
    except Exception as e:  # every failure is data, not a crash
        line = f"{sent*1000:.1f} {time.time()*1000:.1f} - {type(e).__name__}"
    out.write(line + "\n")


async def main():
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    tasks = set()
    start = time.monotonic()
    k = 0
    while not stop.is_set():
        t = asyncio.create_task(probe())
        tasks.add(t)
        t.add_done_callback(tasks.discard)
        k += 1
        delay = start + k * interval_ms / 1000 - time.monotonic()
        if delay < 0:  # we fell behind: skip missed ticks rather than burst
            k += int(-delay * 1000 / interval_ms) + 1
            delay = start + k * interval_ms / 1000 - time.monotonic()
        try:
            await asyncio.wait_for(stop.wait(), max(delay, 0))
        except asyncio.TimeoutError:
            pass
    if tasks:
        await asyncio.wait(tasks, timeout=TIMEOUT * 2 + 0.5)
    out.close()


asyncio.run(main())
