#!/usr/bin/python3
"""A real SMTP server for the mail tests: listens on 127.0.0.1:PORT and writes each message it
receives, as received, into FOLDER (one file a message, named so that name order is the order
received, written beside and renamed so a reader never sees half of one). Run with Debian's python3 (package python3-aiosmtpd):

    /usr/bin/python3 tests/smtp_sink.py PORT FOLDER

It prints "ready" once it listens, and runs until it is killed."""

import asyncio
import itertools
import os
import sys
import time

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        # Named by the time received first: the tests read the mails in name order, and a server
        # started again (a mail server that went down and came back) has another pid, which may
        # sort before the old one (pids wrap around, and 10000 sorts before 9999).
        name = os.path.join(self.folder, f"{time.time_ns():020}-{os.getpid()}-{number:05}.eml")
        with open(name + ".partial", "wb") as out:
            out.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            out.write(envelope.original_content or envelope.content)
        os.rename(name + ".partial", name)
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(FolderHandler(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
