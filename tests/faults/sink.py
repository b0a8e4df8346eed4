"""A real SMTP server for the fault suite that can be told how to answer, per address.

`behaviour(address, attempt)` says what the server does at the end of the DATA of a message
to `address` (`attempt` counts from 1 for that address): "ok" (250), "451", "550", "hang"
(never answer: the sender runs into EMAIL_TIMEOUT), "drop" (close the connection without an
answer) or "hold" (keep the answer back until `release` is set; `held` counts the messages
waiting). A message counts as received by its address when its data arrived and the server
did not refuse it (4xx/5xx): after "hang", "drop" or "hold" a real server may well deliver
it, so sending it again would be a double.
"""

import asyncio
import threading
from collections import Counter

from tests.conftest import free_port


class FaultySink:
    def __init__(self, behaviour=None):
        self.behaviour = behaviour or (lambda address, attempt: "ok")
        self.received = Counter()  # address → messages that may have been delivered
        self.attempts = Counter()  # address → messages whose data arrived
        self.refused = Counter()  # address → answered 4xx/5xx
        self.held = 0
        self.writers = set()
        self.release = threading.Event()
        self.lock = threading.RLock()  # behaviour() may ask total()
        self.host, self.port = "127.0.0.1", free_port()
        self.loop = asyncio.new_event_loop()

    def __enter__(self):
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self.talk, self.host, self.port, limit=2**20)
        )
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    async def _shutdown(self):
        """Close every connection and end every conversation, so nothing is left pending."""
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.server.wait_closed()

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())

    async def talk(self, reader, writer):
        self.writers.add(writer)
        writer.write(b"220 sink ESMTP\r\n")
        recipients = []
        try:
            while line := await reader.readline():
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    writer.write(b"250-sink\r\n250 8BITMIME\r\n")
                elif command == b"MAIL":
                    recipients = []
                    writer.write(b"250 OK\r\n")
                elif command == b"RCPT":
                    recipients.append(line[8:].strip().strip(b"<>").decode().lower())
                    writer.write(b"250 OK\r\n")
                elif command == b"DATA":
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    await writer.drain()
                    await reader.readuntil(b"\r\n.\r\n")
                    answer = await self.answer(recipients)
                    if answer is None:
                        break  # dropped: no answer, the connection closes
                    writer.write(answer)
                elif command == b"QUIT":
                    writer.write(b"221 Bye\r\n")
                    await writer.drain()
                    break
                else:
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def answer(self, recipients) -> bytes | None:
        with self.lock:
            actions = []
            for address in recipients:
                self.attempts[address] += 1
                actions.append(self.behaviour(address, self.attempts[address]))
            action = actions[0] if actions else "ok"
            if action in ("451", "550"):
                self.refused.update(recipients)
            else:
                self.received.update(recipients)
        if action == "451":
            return b"451 4.3.0 Probeer het later nog eens\r\n"
        if action == "550":
            return b"550 5.1.1 Onbekende ontvanger\r\n"
        if action == "drop":
            return None
        if action == "hang":
            # No answer until the test ends: the sender gives up after its EMAIL_TIMEOUT.
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return None
        if action == "hold":
            with self.lock:
                self.held += 1
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return b"250 Message accepted for delivery\r\n"
