-- wrk script for bench/observability.sh's push load: PUTs a new manifest (a distinct annotation each time, over
-- blobs the repository already holds) under a new tag, so every request is a real push (a manifest row, a tag,
-- an ImagePushed event). Counts every answer that is not 201 as bad; prints "verified: N responses, B bad".
--
--   wrk ... -s bench/push-manifests.lua http://127.0.0.1:PORT -- REPO CONFIG_DESCRIPTOR LAYER_DESCRIPTOR RUN
--
-- RUN must differ between runs against one registry: it goes into every tag and annotation. (LuaJIT's
-- math.random starts from the same seed in every wrk process, so a random prefix alone repeated the previous run's
-- tags, and every push after the first run was a no-op re-push of a stored manifest.)

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    repo, config, layer, run = args[1], args[2], args[3], args[4]
    assert(run, "push-manifests.lua needs a RUN argument, distinct for every run")
    n, checked, bad = 0, 0, 0
    prefix = string.format("r%s-w%d", run, id or 0)
end

function request()
    n = n + 1
    local tag = prefix .. "-" .. n
    local body = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":' .. config
        .. ',"layers":[' .. layer .. '],"annotations":{"bench":"' .. tag .. '"}}'
    return wrk.format("PUT", "/v2/" .. repo .. "/manifests/" .. tag,
        {["Content-Type"] = "application/vnd.oci.image.manifest.v1+json"}, body)
end

function response(status, headers, body)
    checked = checked + 1
    if status ~= 201 then bad = bad + 1 end
end

function done(summary, latency, requests)
    local c, b = 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("checked")
        b = b + t:get("bad")
    end
    io.write(string.format("verified: %d responses, %d bad\n", c, b))
end
