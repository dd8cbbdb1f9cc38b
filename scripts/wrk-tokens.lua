-- wrk script of scripts/benchmark.sh and scripts/gateway-bench.sh: every request carries its own
-- token from a file the load tool signed beforehand (--save-tokens), each token sent once.
--
--   wrk ... -s scripts/wrk-tokens.lua <url> -- <tokens file> <first line> <count> <threads>
--
-- Thread i sends lines [first + i*count/threads, first + (i+1)*count/threads). Runs are timed
-- (-d) and should get more tokens than they can use; a thread that still runs out starts its
-- slice over, and those replays show up as non-200 answers (cheaper than acceptances, so a run
-- with any non-200 is flagged, never quoted as clean).
-- Prints one line: RESULT <requests> <req/s> <p50 ms> <p99 ms> <non-200 answers>.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, first, count, nthreads = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  local per = math.floor(count / nthreads)
  local from = first + id * per
  tokens = {}
  i = 0
  bad = 0
  local n = 0
  for line in io.lines(file) do
    if n >= from + per then break end
    -- A line of the load tool's token file: "<partner index>\t<Authorization value>".
    if n >= from then tokens[#tokens + 1] = line:match("\t(.*)$") or line end
    n = n + 1
  end
end

function request()
  i = i + 1
  if i > #tokens then i = 1 end
  return wrk.format("GET", wrk.path, { ["Authorization"] = tokens[i] })
end

function response(status)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, b))
end
