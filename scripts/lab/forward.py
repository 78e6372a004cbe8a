#!/usr/bin/python3
"""Forward loopback TCP ports on the host to addresses inside the lab.

Usage: forward.py NETNS_PATH PORTS_FILE TARGET_IP:PORT...

The listening sockets are opened on 127.0.0.1 (port chosen by the kernel) in
the host's network namespace *before* this process joins the lab's client
namespace with setns(2); every outgoing connection is then made from inside
the client namespace. So a test running on the host (ssh2 in-process) reaches
a node's sshd without any address or route being added to the host.
PORTS_FILE gets one line "LOCAL_PORT TARGET_IP:PORT" per target, then "ready".
"""
import asyncio
import ctypes
import os
import socket
import sys

CLONE_NEWNET = 0x40000000
netns_path, ports_file, targets = sys.argv[1], sys.argv[2], sys.argv[3:]

listeners = []
for target in targets:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    s.setblocking(False)
    listeners.append((s, target))

libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(netns_path, os.O_RDONLY)
if libc.setns(fd, CLONE_NEWNET) != 0:
    sys.exit(f"setns({netns_path}) failed: {os.strerror(ctypes.get_errno())}")
os.close(fd)


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except Exception:
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


def handler(target):
    host, port = target.rsplit(":", 1)

    async def handle(cr, cw):
        try:
            tr, tw = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 5)
        except Exception:
            cw.close()
            return
        await asyncio.gather(pipe(cr, tw), pipe(tr, cw))

    return handle


async def main():
    for s, target in listeners:
        await asyncio.start_server(handler(target), sock=s)
    with open(ports_file + ".tmp", "w") as f:
        for s, target in listeners:
            f.write(f"{s.getsockname()[1]} {target}\n")
        f.write("ready\n")
    os.rename(ports_file + ".tmp", ports_file)
    await asyncio.Event().wait()


asyncio.run(main())
