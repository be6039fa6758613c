// Load generator for plumb serve on loopback: N keep-alive connections, each sending POST
// /v1/predict requests back to back for a fixed time. Prints one JSON line: requests per second,
// rows per second, latency percentiles, the size of an answer and the count of non-200 answers or
// broken connections.
//   bench_serve --port P [--connections 8] [--seconds 5] [--rows 1]
//   bench_serve --port P --rows R --save-response FILE   one request; its answer's body to FILE
//   bench_serve --port P --get PATH [...]                 GET PATH instead (a static file server as
//                                                         the ceiling of the same load)
// Only ever connects to 127.0.0.1; stops by itself after --seconds.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options
{
    int port = 0;
    int connections = 8;
    double seconds = 5;
    int rows = 1;
    std::string getPath; // GET this path instead of POST /v1/predict
    std::string saveResponse; // send one request and write the answer's body here
};

std::string requestText(int rows)
{
    std::string body = rows > 1 ? "[" : "";
    for (int r = 0; r < rows; ++r) {
        if (r > 0)
            body += ',';
        body += "{";
        for (int f = 0; f < 20; ++f)
            body += (f ? ",\"x" : "\"x") + std::to_string(f) + "\":" + std::to_string(0.125 * ((r + f) % 17) - 1);
        body += "}";
    }
    if (rows > 1)
        body += "]";
    return "POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + std::to_string(body.size()) + "\r\n\r\n" + body;
}

int connectLoopback(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(std::uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Reads one HTTP response; returns its status, or -1 when the connection broke. The body's size
// goes to `bodyBytes`, and the body to `body` when it is given.
int readResponse(int fd, std::string &buffer, std::size_t &bodyBytes, std::string *body = nullptr)
{
    for (;;) {
        const std::size_t head = buffer.find("\r\n\r\n");
        if (head != std::string::npos) {
            const std::size_t at = buffer.find("Content-Length:");
            const std::size_t length = at < head ? std::strtoul(buffer.c_str() + at + 15, nullptr, 10) : 0;
            if (buffer.size() >= head + 4 + length) {
                const int status = std::atoi(buffer.c_str() + 9);
                bodyBytes = length;
                if (body)
                    body->assign(buffer, head + 4, length);
                buffer.erase(0, head + 4 + length);
                return status;
            }
        }
        char chunk[65536];
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0)
            return -1;
        buffer.append(chunk, std::size_t(got));
    }
}

void runConnection(const Options &options, const std::string &request, Clock::time_point end, std::vector<double> &latencies,
                   std::atomic<long> &errors, std::atomic<std::size_t> &answerBytes)
{
    const int fd = connectLoopback(options.port);
    if (fd < 0) {
        ++errors;
        return;
    }
    std::string buffer;
    while (Clock::now() < end) {
        const auto start = Clock::now();
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size())) {
            ++errors;
            break;
        }
        std::size_t bytes = 0;
        const int status = readResponse(fd, buffer, bytes);
        answerBytes = bytes;
        if (status != 200) {
            ++errors;
            if (status < 0)
                break;
        }
        latencies.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    ::close(fd);
}

// Sends one request and writes the answer's body to options.saveResponse; 0 when it was a 200.
int saveOneResponse(const Options &options, const std::string &request)
{
    const int fd = connectLoopback(options.port);
    if (fd < 0 || ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size())) {
        std::fprintf(stderr, "bench_serve: cannot send to 127.0.0.1:%d\n", options.port);
        if (fd >= 0)
            ::close(fd);
        return 1;
    }
    std::string buffer, body;
    std::size_t bytes = 0;
    const int status = readResponse(fd, buffer, bytes, &body);
    ::close(fd);
    std::ofstream out(options.saveResponse, std::ios::binary);
    out << body;
    if (status != 200 || !out) {
        std::fprintf(stderr, "bench_serve: the answer was %d, or %s could not be written\n", status,
                     options.saveResponse.c_str());
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        if (name == "--port")
            options.port = std::atoi(argv[i + 1]);
        else if (name == "--connections")
            options.connections = std::atoi(argv[i + 1]);
        else if (name == "--seconds")
            options.seconds = std::atof(argv[i + 1]);
        else if (name == "--rows")
            options.rows = std::atoi(argv[i + 1]);
        else if (name == "--get")
            options.getPath = argv[i + 1];
        else if (name == "--save-response")
            options.saveResponse = argv[i + 1];
    }
    if (options.port <= 0 || options.connections <= 0 || options.rows <= 0 || options.seconds <= 0 || options.seconds > 60) {
        std::fprintf(stderr,
                     "usage: bench_serve --port P [--connections N] [--seconds S (at most 60)] [--rows R] "
                     "[--get PATH] [--save-response FILE]\n");
        return 2;
    }
    const std::string request = options.getPath.empty() ? requestText(options.rows)
                                                        : "GET " + options.getPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (!options.saveResponse.empty())
        return saveOneResponse(options, request);
    std::vector<std::vector<double>> latencies(std::size_t(options.connections));
    std::atomic<long> errors{0};
    std::atomic<std::size_t> answerBytes{0};
    const auto begin = Clock::now();
    const auto end = begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
    std::vector<std::thread> threads;
    for (int c = 0; c < options.connections; ++c)
        threads.emplace_back(runConnection, std::cref(options), std::cref(request), end, std::ref(latencies[std::size_t(c)]),
                             std::ref(errors), std::ref(answerBytes));
    for (std::thread &thread : threads)
        thread.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
    std::vector<double> all;
    for (const auto &part : latencies)
        all.insert(all.end(), part.begin(), part.end());
    std::sort(all.begin(), all.end());
    auto percentile = [&](double p) {
        return all.empty() ? 0.0 : all[std::min(all.size() - 1, std::size_t(p * double(all.size())))];
    };
    std::printf(
        "{\"target\":\"%s\",\"connections\":%d,\"rows_per_request\":%d,\"response_bytes\":%zu,\"requests\":%zu,\"errors\":%ld,\"requests_per_s\":%.0f,"
        "\"rows_per_s\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
        options.getPath.empty() ? "POST /v1/predict" : ("GET " + options.getPath).c_str(), options.connections, options.rows,
        answerBytes.load(), all.size(), errors.load(), double(all.size()) / elapsed, double(all.size()) * options.rows / elapsed,
        percentile(0.5) * 1e3, percentile(0.99) * 1e3, all.empty() ? 0.0 : all.back() * 1e3);
    return 0;
}
