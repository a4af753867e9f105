-- wrk script for bench/console.sh: GETs one page over and over and counts every answer that is not a 200 whose
-- body holds the expected text (a page that renders an error counts as bad, however fast).
--
--   wrk ... -s bench/pages.lua http://127.0.0.1:PORT/PATH -- TEXT
--
-- wrk prints "verified: N responses, B bad" at the end; parse_wrk (bench/lib.sh) fails unless B is 0 and N is
-- wrk's count.

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    expected = args[1] or ""
    checked, bad = 0, 0
end

function response(status, headers, body)
    checked = checked + 1
    if status ~= 200 or not body:find(expected, 1, true) then
        bad = bad + 1
    end
end

function done(summary, latency, requests)
    local n, b = 0, 0
    for _, t in ipairs(threads) do
        n = n + t:get("checked")
        b = b + t:get("bad")
    end
    io.write(string.format("verified: %d responses, %d bad\n", n, b))
end
