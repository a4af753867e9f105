"""A webhook receiver for benchmarks: answers every request with 204, keeping connections open, and counts them.

    python3 bench/webhook-sink.py PORT
    curl http://127.0.0.1:PORT/count      # how many deliveries it has received (this request not counted)

It shares the machine's cores with the registry it measures, so it does as little as it can per delivery:
asyncio with a bare protocol that only finds each request's end (headers, then Content-Length bytes).
http.server's ThreadingHTTPServer took ~130 us of CPU per delivery here, this takes ~30 us.
"""
import asyncio
import sys

REPLY = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
received = 0


class Sink(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer, self.body_left = transport, b"", -1

    def data_received(self, data):
        self.buffer += data
        global received
        while self.request_done():
            if self.counting:
                body = str(received).encode()
                self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            else:
                received += 1
                self.transport.write(REPLY)

    def request_done(self):
        """True once a whole request is in the buffer (and dropped from it)."""
        if self.body_left < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return False
            head = self.buffer[:end].lower()
            self.counting = head.startswith(b"get /count ")
            at = head.find(b"\r\ncontent-length:")
            self.body_left = int(head[at + 17:].split(b"\r\n", 1)[0]) if at >= 0 else 0
            self.buffer = self.buffer[end + 4:]
        if len(self.buffer) < self.body_left:
            return False
        self.buffer, self.body_left = self.buffer[self.body_left:], -1
        return True


async def main(port):
    server = await asyncio.get_running_loop().create_server(Sink, "127.0.0.1", port)
    await server.serve_forever()


asyncio.run(main(int(sys.argv[1])))
