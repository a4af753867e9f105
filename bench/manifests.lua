-- wrk script for bench/run's manifest loads: GETs the paths of a list file in turn and checks every
-- response's bytes, so that a figure can never count wrong answers as fast ones.
--
--   wrk ... -s bench/manifests.lua http://127.0.0.1:PORT -- LIST
--
-- LIST: one line per URL, "<path> <digest> <file holding the manifest's exact bytes>" (the digests computed
-- with sha256sum by bench/run). A response counts as bad unless it is a 200 whose body is byte for byte one
-- of the listed manifests and whose Docker-Content-Digest header is that manifest's digest. wrk prints
-- "verified: N responses, B bad" at the end; bench/run fails the step unless B is 0 and N is wrk's count.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    paths, digest_of = {}, {}
    for line in io.lines(args[1]) do
        local path, digest, file = line:match("^(%S+) (%S+) (%S+)$")
        local f = assert(io.open(file, "rb"))
        local body = f:read("*a")
        f:close()
        paths[#paths + 1] = path
        digest_of[body] = digest
    end
    assert(#paths > 0, "no URL in " .. args[1])
    -- threads start at different places of the list, so that they do not ask for the same manifest together
    i = (id or 0) * 97 % #paths
    checked, bad = 0, 0
end

function request()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end

function response(status, headers, body)
    checked = checked + 1
    local want = digest_of[body]
    local got
    for k, v in pairs(headers) do
        if k:lower() == "docker-content-digest" then got = v end
    end
    if status ~= 200 or want == nil or got ~= want then bad = bad + 1 end
end

function done(summary, latency, requests)
    local c, b = 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("checked")
        b = b + t:get("bad")
    end
    io.write(string.format("verified: %d responses, %d bad\n", c, b))
end
