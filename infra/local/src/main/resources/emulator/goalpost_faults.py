"""The moto launcher's fault mode: what production DynamoDB, SQS and EventBridge do to a request now and then.

Turned on by GOALPOST_FAULTS (the local cloud passes its --faults plan: "rate=0.05,seed=42,window=10ms,kinds=...").
Only requests made by a hosted function are faulted: the local cloud marks them with x-goalpost-function and
x-goalpost-invocation (dev.goalpost.local.faults.Invocations); its own calls (provisioning, queue polling, the
tests' reads) pass untouched.

- kinds "throttle" and "5xx": with probability `rate`, a DynamoDB, SQS or EventBridge request is answered, before
  moto sees it, with the service's throttling error (DynamoDB ProvisionedThroughputExceededException or
  ThrottlingException, SQS RequestThrottled, EventBridge ThrottlingException; HTTP 400) or its 500
  (InternalServerError / InternalError / InternalException). The SDK retries both.
- kind "conflict": a TransactWriteItems is cancelled with TransactionCanceledException, CancellationReasons
  TransactionConflict, (a) with probability `rate`, and (b) whenever one of its items was written less than
  `window` ago by another invocation (or by the local cloud itself): DynamoDB cancels a transaction that meets
  another request on one of its items, and requests that close together could have overlapped. Two requests of
  the same invocation are sequential, so they never conflict. Cancelled transactions write nothing.

Decisions are seeded: the n-th function request of an operation (e.g. "dynamodb.TransactWriteItems") is faulted
when unit(seed, "moto|dynamodb.TransactWriteItems", n) < rate, with the same hash as the JVM side
(dev.goalpost.local.faults.Faults: FNV-1a of the key, mixed with seed and n by SplitMix64). The same requests in
the same order meet the same faults. The window conflicts involve no chance: given when each request arrives,
they are decided exactly (the same arrival times give the same conflicts), but arrival times vary from run to run.

The window's clock: moto's own (time.monotonic()), unless a request carries x-goalpost-clock-us, a client's clock
in microseconds; within a request it then runs with moto's (the header's value plus the time since the request
arrived). Either every request carries the header or none. A client that queues its requests before they reach
the emulator (the benchmarks' meter, dev.goalpost.bench.DynamoMeter, sends them one at a time and reads each
written item before and after the write) sends a clock that leaves its own bookkeeping out, and may add
x-goalpost-issued-us: when the request was issued, before it waited in the client's queue. A transaction is then
checked as of that moment: it is cancelled when one of its items was written by another invocation less than
`window` before it was issued, or after (the other request was in progress, queued ahead of it: on DynamoDB the
two would have been in flight together). This keeps the emulation independent of the emulator's speed: on a
slow machine every request waits, and the gaps between transactions would otherwise outgrow any window.
"""
import io
import json
import os
import sys
import threading
import time

_local = threading.local()
M64 = (1 << 64) - 1


def now():
    """The window's clock: moto's, or the requesting client's (x-goalpost-clock-us) running with moto's."""
    return time.monotonic() + getattr(_local, "offset", 0.0)


def _mix(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def unit(seed, key, n):
    """A number in [0, 1) from (seed, key, n); equals Faults.unit in the JVM."""
    h = 0xCBF29CE484222325
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & M64
    z = _mix((_mix((seed & M64) ^ h) + n) & M64)
    return (z >> 11) * (1.0 / (1 << 53))


class Plan:
    def __init__(self, spec):
        fields = dict(part.split("=", 1) for part in spec.split(",") if "=" in part)
        self.rate = float(fields.get("rate", "0.05"))
        self.seed = int(fields.get("seed", "0"))
        self.window = float(fields.get("window", "10ms").lower().rstrip("ms") or 0) / 1000.0
        kinds = fields.get("kinds")
        self.kinds = set(kinds.split("+")) if kinds else {"conflict", "throttle", "5xx"}
        self.spec = spec


_THROTTLES = {
    "dynamodb": [("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                  "The level of configured provisioned throughput for the table was exceeded. Consider increasing "
                  "your provisioning level with the UpdateTable API."),
                 ("com.amazonaws.dynamodb.v20120810#ThrottlingException", "Rate of requests exceeds the allowed throughput.")],
    "sqs": [("com.amazonaws.sqs#RequestThrottled", "Request is throttled.")],
    "events": [("ThrottlingException", "Rate exceeded")],
}
_INTERNAL = {
    "dynamodb": ("com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error"),
    "sqs": ("com.amazonaws.sqs#InternalError", "We encountered an internal error. Please try again."),
    "events": ("InternalException", "An internal error occurred."),
}
_TARGETS = {"DynamoDB_20120810": "dynamodb", "AmazonSQS": "sqs", "AWSEvents": "events"}


def install():
    """Called by goalpost_moto.py once its own patches are in: nothing happens unless GOALPOST_FAULTS is set."""
    spec = os.environ.get("GOALPOST_FAULTS", "").strip()
    if not spec or spec.lower() == "off":
        return
    plan = Plan(spec)
    print("goalpost_faults: fault mode on: %s" % spec, flush=True)
    _install_requests(plan)
    if "conflict" in plan.kinds:
        _install_window(plan)


def _install_requests(plan):
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    plain_call = DomainDispatcherApplication.__call__
    counts = {}
    counts_lock = threading.Lock()
    injected = {"n": 0}

    def decide(service, operation):
        key = "moto|%s.%s" % (service, operation)
        with counts_lock:
            n = counts.get(key, 0)
            counts[key] = n + 1
        if unit(plan.seed, key, n) >= plan.rate:
            return None
        choices = []
        if "throttle" in plan.kinds:
            choices += [("throttle", t) for t in _THROTTLES[service]]
        if "5xx" in plan.kinds:
            choices.append(("5xx", _INTERNAL[service]))
        if "conflict" in plan.kinds and service == "dynamodb" and operation == "TransactWriteItems":
            choices.append(("conflict", None))
        if not choices:
            return None
        pick = choices[int(unit(plan.seed, "kind|" + key, n) * len(choices))]
        with counts_lock:
            injected["n"] += 1
        print("goalpost_faults: %s on %s.%s #%d (seed %d)" % (pick[0], service, operation, n, plan.seed), flush=True)
        return pick

    def respond(start_response, service, status, error_type, message):
        code = error_type.split("#")[-1]
        body = json.dumps({"__type": error_type, "message": message, "Message": message}).encode("utf-8")
        headers = [("Content-Type", "application/x-amz-json-1.1" if service == "events" else "application/x-amz-json-1.0"),
                   ("Content-Length", str(len(body))), ("x-amzn-RequestId", "goalpost-fault"),
                   ("x-amzn-ErrorType", code)]
        if service == "sqs":
            headers.append(("x-amzn-query-error", "%s;%s" % (code, "Sender" if status < 500 else "Receiver")))
        start_response("%d %s" % (status, "Bad Request" if status < 500 else "Internal Server Error"), headers)
        return [body]

    def call(self, environ, start_response):
        clock = environ.get("HTTP_X_GOALPOST_CLOCK_US")
        issued = environ.get("HTTP_X_GOALPOST_ISSUED_US")
        _local.offset = int(clock) / 1e6 - time.monotonic() if clock else 0.0
        _local.issued = int(issued) / 1e6 if clock and issued else None
        try:
            return faulted_call(self, environ, start_response)
        finally:
            _local.offset = 0.0
            _local.issued = None

    def faulted_call(self, environ, start_response):
        invocation = environ.get("HTTP_X_GOALPOST_INVOCATION")
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        prefix, _, operation = target.partition(".")
        service = _TARGETS.get(prefix)
        if invocation is None or service is None:
            return plain_call(self, environ, start_response)
        fault = decide(service, operation)
        if fault is not None and fault[0] == "throttle":
            return respond(start_response, service, 400, fault[1][0], fault[1][1])
        if fault is not None and fault[0] == "5xx":
            return respond(start_response, service, 500, fault[1][0], fault[1][1])
        _local.invocation = invocation
        _local.force_conflict = fault is not None and fault[0] == "conflict"
        try:
            return plain_call(self, environ, start_response)
        finally:
            _local.invocation = None
            _local.force_conflict = False

    DomainDispatcherApplication.__call__ = call


def _install_window(plan):
    now_fn = now
    from moto.dynamodb.exceptions import TransactionCanceledException
    from moto.dynamodb.models import DynamoDBBackend

    plain_transact = DynamoDBBackend.transact_write_items
    plain = {name: getattr(DynamoDBBackend, name) for name in ("put_item", "update_item", "delete_item")}
    recent = {}  # (table, key) -> (monotonic time of the last write, invocation that made it)
    lock = threading.Lock()

    def ident(backend, table_name, attrs, whole_item):
        table = backend.tables.get(table_name)
        if table is None or not isinstance(attrs, dict) or table.hash_key_attr not in attrs:
            return None
        parts = [table.hash_key_attr]
        if table.range_key_attr is not None:
            if table.range_key_attr not in attrs:
                return None
            parts.append(table.range_key_attr)
        return table_name, repr([(p, attrs[p]) for p in parts])

    def wrote(keys):
        pending = getattr(_local, "pending", None)
        if pending is not None:  # inside a transaction: recorded only if it commits
            pending.extend(keys)
            return
        now = now_fn()
        who = getattr(_local, "invocation", None)
        with lock:
            for k in keys:
                if k is not None:
                    recent[k] = (now, who)
            if len(recent) > 50000:
                # Kept a minute past the window: a transaction checked as of when it was issued may have waited.
                for k in [k for k, (t, _) in recent.items() if now - t > plan.window + 60]:
                    del recent[k]

    def wrapping(name, key_arg_is_item):
        inner = plain[name]

        def run(self, table_name, attrs, *args, **kwargs):
            result = inner(self, table_name, attrs, *args, **kwargs)
            wrote([ident(self, table_name, attrs, key_arg_is_item)])
            return result
        return run

    def item_ident(backend, op):
        for kind in ("Put", "Update", "Delete", "ConditionCheck"):
            if kind in op:
                body = op[kind]
                return ident(backend, body.get("TableName"), body.get("Item") if kind == "Put" else body.get("Key"),
                             kind == "Put")
        return None

    def transact_write_items(self, transact_items, *args, **kwargs):
        who = getattr(_local, "invocation", None)
        if who is not None:
            keys = [item_ident(self, op) for op in transact_items]
            issued = getattr(_local, "issued", None)
            now = issued if issued is not None else now_fn()
            with lock:
                hot = [i for i, k in enumerate(keys) if k is not None and k in recent
                       and now - recent[k][0] < plan.window and recent[k][1] != who]
            if not hot and getattr(_local, "force_conflict", False) and transact_items:
                hot = [0]
            if hot:
                print("goalpost_faults: TransactionConflict on items %s of a transaction of %d (%s)"
                      % (hot, len(transact_items), "window" if not getattr(_local, "force_conflict", False) else "rate"),
                      flush=True)
                raise TransactionCanceledException(
                    [("TransactionConflict", "Transaction is ongoing for the item", None) if i in hot
                     else (None, None, None) for i in range(len(transact_items))])
        _local.pending = []
        try:
            result = plain_transact(self, transact_items, *args, **kwargs)
            done, _local.pending = _local.pending, None
            wrote(done + [item_ident(self, op) for op in transact_items
                          if "ConditionCheck" not in op])
            return result
        finally:
            _local.pending = None

    DynamoDBBackend.put_item = wrapping("put_item", True)
    DynamoDBBackend.update_item = wrapping("update_item", False)
    DynamoDBBackend.delete_item = wrapping("delete_item", False)
    DynamoDBBackend.transact_write_items = transact_write_items
