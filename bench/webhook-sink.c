/*
 * A webhook receiver for benchmarks, in C: answers every request with 204, keeps connections open, counts them.
 *
 *     gcc -O2 -o webhook-sink bench/webhook-sink.c && ./webhook-sink PORT
 *     curl http://127.0.0.1:PORT/count      # deliveries received so far (this request not counted)
 *
 * The same protocol as bench/webhook-sink.py, for a benchmark whose receiver shares the cores with the registry it
 * measures: one thread, epoll, each request found by its header end and Content-Length, the body skipped unread.
 * It costs ~13 us of CPU per delivery in bench/observability.sh where the Python one costs ~46 (its CPU is charged
 * to the registry under test when both share two cores).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define HEAD_MAX 16384

struct conn {
    int fd;
    size_t used;       /* header bytes buffered */
    long body_left;    /* body bytes still to skip; -1 while reading a head */
    char head[HEAD_MAX];
};

static unsigned long received;
static const char REPLY[] = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";

static void reply(struct conn *c, int counting) {
    char out[128];
    int n;
    if (counting) {
        char body[32];
        int len = snprintf(body, sizeof body, "%lu", received);
        n = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len, body);
    } else {
        received++;
        n = (int) sizeof REPLY - 1;
        memcpy(out, REPLY, (size_t) n);
    }
    /* a reply is small and the client reads it before sending more: one send suffices on loopback */
    if (send(c->fd, out, (size_t) n, MSG_NOSIGNAL) != n) {
        shutdown(c->fd, SHUT_RDWR);
    }
}

/* A whole request is in: answered, and the connection ready for the next head. */
static void answer(struct conn *c) {
    c->body_left = -1;
    c->used = 0;
    reply(c, strncmp(c->head, "GET /count ", 11) == 0);
}

/* The Content-Length of a head (0 when absent). */
static long content_length(const char *head, size_t len) {
    static const char name[] = "\r\ncontent-length:";
    for (size_t i = 0; i + sizeof name - 1 <= len; i++) {
        if (strncasecmp(head + i, name, sizeof name - 1) == 0) {
            return strtol(head + i + sizeof name - 1, NULL, 10);
        }
    }
    return 0;
}

/* Consumes what is buffered: whole heads answered once their bodies are skipped. Returns -1 on a bad request. */
static int consume(struct conn *c, const char *data, size_t n) {
    while (n > 0) {
        if (c->body_left >= 0) {
            size_t skip = (size_t) c->body_left < n ? (size_t) c->body_left : n;
            c->body_left -= (long) skip;
            data += skip;
            n -= skip;
            if (c->body_left > 0) {
                return 0;
            }
            answer(c);
            continue;
        }
        size_t take = HEAD_MAX - c->used < n ? HEAD_MAX - c->used : n;
        memcpy(c->head + c->used, data, take);
        char *end = memmem(c->head, c->used + take, "\r\n\r\n", 4);
        if (end == NULL) {
            if (c->used + take == HEAD_MAX) {
                return -1;
            }
            c->used += take;
            return 0;
        }
        size_t head_len = (size_t) (end - c->head) + 4;
        size_t consumed = head_len - c->used; /* of this read's bytes */
        c->used = head_len;
        c->body_left = content_length(c->head, head_len - 2);
        if (c->body_left < 0) {
            return -1;
        }
        data += consumed;
        n -= consumed;
        if (c->body_left == 0) {
            answer(c);
        }
    }
    return 0;
}

static void close_conn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(argv[1])),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(lfd, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(lfd, 128) != 0) {
        perror("webhook-sink: listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    static char buf[65536];
    struct epoll_event events[64];
    for (;;) {
        int ready = epoll_wait(ep, events, 64, -1);
        if (ready < 0 && errno != EINTR) {
            perror("webhook-sink: epoll_wait");
            return 1;
        }
        for (int i = 0; i < ready; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd = accept(lfd, NULL, NULL);
                if (fd < 0) {
                    continue;
                }
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                c = calloc(1, sizeof *c);
                c->fd = fd;
                c->body_left = -1;
                struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                continue;
            }
            ssize_t n = recv(c->fd, buf, sizeof buf, 0);
            if (n <= 0 || consume(c, buf, (size_t) n) != 0) {
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                close_conn(ep, c);
            }
        }
    }
}
