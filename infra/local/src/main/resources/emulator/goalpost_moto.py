"""moto's server, with performance fixes to DynamoDB transactions and queries.

moto (5.2.1) backs a transaction up by deep-copying every table it names, once per transaction item, and
restores those copies when the transaction is cancelled. A 9-item transaction on a table of 10,000 items
therefore copies 90,000 items, and the copies put back on cancellation erase whatever other requests wrote
meanwhile. This launcher keeps moto's own transaction logic (conditions, error codes, cancellation reasons)
and replaces only the backup: each item's image is saved just before the transaction first writes it and, if
moto raises, exactly those items are put back. Each DynamoDB request (reads included) also runs whole, one
at a time, as DynamoDB answers each from one consistent state.

moto also answers every Query by looking at every item of the table. Here a table Query reads its partition
and a global index Query reads the items whose index hash attribute has the asked value (a map per attribute,
kept up to date by every write); moto's own code still applies the conditions, sorts and pages.

The results are the same as moto's for a lone request, and faster by the table's size.

Run: python3 goalpost_moto.py [moto.server arguments]   (e.g. -H 127.0.0.1 -p 5000)
GOALPOST_MOTO_PLAIN=1 runs moto unchanged.
GOALPOST_MOTO_STRICT_LIMITS=1 refuses what DynamoDB's request limits refuse; GOALPOST_MOTO_PAGE_SIZE=N makes
every Query and Scan page hold at most N items, and BatchGetItem leave keys beyond N unprocessed
(_patch_limits).
GOALPOST_FAULTS=rate=0.05,seed=42 turns on the fault mode
(goalpost_faults.py, next to this file).
"""
import copy
import inspect
import os
import sys
import threading

_local = threading.local()
# One DynamoDB request at a time, reads included (see _patch_one_request_at_a_time); reentrant because the
# write wrappers below take it too.
_REQUESTS = threading.RLock()


def _patch():
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType, Item
    from moto.dynamodb.models.table import Table

    plain_transact = DynamoDBBackend.transact_write_items
    plain_put = DynamoDBBackend.put_item
    plain_update = DynamoDBBackend.update_item
    plain_delete = DynamoDBBackend.delete_item
    # One write request at a time, a transaction included: DynamoDB applies each request atomically, while
    # moto's server runs requests on parallel threads. (The server also runs whole requests one at a time:
    # _patch_one_request_at_a_time; this lock keeps in-process use of these patches atomic as well.)
    writes = _REQUESTS

    def table_deepcopy(self, memo):
        if getattr(_local, "share_tables", False):
            return self  # the backup moto asks for; the item snapshots below replace it
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            setattr(clone, name, copy.deepcopy(value, memo))
        return clone

    Table.__deepcopy__ = table_deepcopy

    def key_of(backend, table_name, attrs):
        table = backend.tables.get(table_name)
        if table is None or not isinstance(attrs, dict) or table.hash_key_attr not in attrs:
            return None
        key = {table.hash_key_attr: attrs[table.hash_key_attr]}
        if table.range_key_attr is not None:
            if table.range_key_attr not in attrs:
                return None
            key[table.range_key_attr] = attrs[table.range_key_attr]
        return key

    def remember(backend, table_name, key):
        """Inside a transaction: the item's image before its first write (None: it did not exist)."""
        snaps = getattr(_local, "snaps", None)
        if snaps is None or key is None:
            return
        ident = (table_name, repr(sorted(key.items())))
        if ident in snaps:
            return
        try:
            current = backend.get_item(table_name, key)
        except Exception:
            return
        before = copy.deepcopy(current.to_json()["Attributes"]) if current is not None else None
        snaps[ident] = (table_name, key, before)

    def restore(backend, snaps):
        for table_name, key, before in snaps.values():
            try:
                if before is None:
                    plain_delete(backend, table_name, key)
                else:
                    plain_put(backend, table_name, before)
                reindex(backend, table_name, key)
            except Exception as e:  # keep restoring the others; the original error is what the client gets
                print("goalpost_moto: could not restore %s %s: %s" % (table_name, key, e), file=sys.stderr)

    # Index Queries: moto looks at every item of the table for each one. For each attribute that is the hash key
    # of a global index, the table keeps (built on the first such Query) a map from the attribute's value to the
    # keys of the items that hold it. Every write below, and every restore above, re-files the item it wrote.
    def stored(table, hash_value, range_value):
        part = table.items.get(hash_value)  # get: table.items may be a defaultdict
        if part is None:
            return None
        item = part.get(range_value) if table.range_key_attr else part
        return item if isinstance(item, Item) else None

    def refile(by_value, where, item_key, value):
        old = where.pop(item_key, None)
        if old is not None:
            bucket = by_value.get(old)
            if bucket is not None:
                bucket.pop(item_key, None)
                if not bucket:
                    del by_value[old]
        if value is None:
            return
        try:
            by_value.setdefault(value, {})[item_key] = None
        except TypeError:  # a map or list value: never equal to a key value, so in no bucket
            return
        where[item_key] = value

    def values_of(table, attr):  # under the writes lock
        maps = table.__dict__.setdefault("_goalpost_by_value", {})
        if attr not in maps:
            by_value, where = {}, {}
            for part in table.items.values():
                for item in (part.values() if table.range_key_attr else [part]):
                    if isinstance(item, Item):
                        refile(by_value, where, (item.hash_key, item.range_key), item.attrs.get(attr))
            maps[attr] = (by_value, where)
        return maps[attr][0]

    def reindex(backend, table_name, key):
        table = backend.tables.get(table_name)
        maps = table.__dict__.get("_goalpost_by_value") if table is not None else None
        if not maps or key is None:
            return
        try:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        except (KeyError, TypeError):
            return
        item = stored(table, hash_value, range_value)
        for attr, (by_value, where) in list(maps.items()):
            refile(by_value, where, (hash_value, range_value), item.attrs.get(attr) if item is not None else None)

    def put_item(self, table_name, item_attrs, *args, **kwargs):
        with writes:
            key = key_of(self, table_name, item_attrs)
            remember(self, table_name, key)
            try:
                return plain_put(self, table_name, item_attrs, *args, **kwargs)
            finally:
                reindex(self, table_name, key)

    def update_item(self, table_name, key, *args, **kwargs):
        with writes:
            remember(self, table_name, key)
            try:
                return plain_update(self, table_name, key, *args, **kwargs)
            finally:
                reindex(self, table_name, key)

    def delete_item(self, table_name, key, *args, **kwargs):
        with writes:
            remember(self, table_name, key)
            try:
                return plain_delete(self, table_name, key, *args, **kwargs)
            finally:
                reindex(self, table_name, key)

    def stream_marks(backend):
        """How many records each table's stream holds now (a cancelled transaction truncates back to it)."""
        return {name: len(t.stream_shard.items) for name, t in backend.tables.items()
                if getattr(t, "stream_shard", None) is not None}

    def truncate_streams(backend, marks):
        # DynamoDB writes no stream record for a cancelled transaction: drop what its applied items and their
        # restores appended (plain moto gets this from restoring whole deep-copied tables, streams included).
        for name, count in marks.items():
            table = backend.tables.get(name)
            if table is not None and table.stream_shard is not None:
                del table.stream_shard.items[count:]

    def transact_write_items(self, transact_items):
        with writes:
            _local.snaps = {}
            _local.share_tables = True
            marks = stream_marks(self)
            try:
                return plain_transact(self, transact_items)
            except BaseException:
                _local.share_tables = False
                snaps, _local.snaps = _local.snaps, None
                restore(self, snaps)
                truncate_streams(self, marks)
                raise
            finally:
                _local.share_tables = False
                _local.snaps = None

    # Queries: moto lists every item of the table, sorted, for each Query (O(n log n) in the table's size),
    # then keeps the matches. A table Query only needs its partition, and a global index Query only the items
    # whose index hash attribute has the asked value (moto still checks every condition and sorts the matches
    # itself). Same results, in time proportional to the partition instead of the table.
    plain_query = Table.query
    plain_all_items = Table.all_items
    query_signature = inspect.signature(plain_query)

    def all_items(self):
        scope = getattr(_local, "scope", None)
        if scope is not None and scope[0] is self:
            return list(scope[1])
        return plain_all_items(self)

    def query(self, *args, **kwargs):
        arguments = query_signature.bind(self, *args, **kwargs).arguments
        hash_key = arguments.get("hash_key")
        index_name = arguments.get("index_name")
        conditions = arguments.get("hash_key_conditions") or []
        index_hash = None
        if index_name is not None and conditions:
            index = next((i for i in self.global_indexes if i.name == index_name), None)
            hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"] if index else []
            if hashes and conditions[0][0] == hashes[0]:
                index_hash = conditions[0]
        with writes:  # the scope is taken between writes: no dict changes size while it is read
            if index_name is None and hash_key is not None and self.range_key_attr:
                partition = self.items.get(hash_key)
                scope = list(partition.values()) if partition else []
            elif index_hash is not None:
                # Every item whose index hash attribute equals the asked value; moto checks the rest and sorts
                keys = values_of(self, index_hash[0]).get(index_hash[1], {})
                scope = [item for item in (stored(self, h, r) for h, r in list(keys)) if item is not None]
            else:
                scope = [item for part in list(self.items.values())
                         for item in (list(part.values()) if self.range_key_attr else [part])]
        _local.scope = (self, scope)
        try:
            return plain_query(self, *args, **kwargs)
        finally:
            _local.scope = None

    # PartiQL writes items through Table methods, past the wrappers above: run them one at a time too, and
    # drop the index maps they may have outdated (the next index Query rebuilds its map). Tables being filled
    # by ImportTable are not covered (moto imports on a thread of its own); the project does not use it.
    def forgetting_maps(plain):
        def run(self, *args, **kwargs):
            with writes:
                try:
                    return plain(self, *args, **kwargs)
                finally:
                    for table in list(self.tables.values()):
                        table.__dict__.pop("_goalpost_by_value", None)
        return run

    for name in ("execute_statement", "batch_execute_statement", "execute_transaction"):
        if hasattr(DynamoDBBackend, name):
            setattr(DynamoDBBackend, name, forgetting_maps(getattr(DynamoDBBackend, name)))

    Table.all_items = all_items
    Table.query = query
    DynamoDBBackend.put_item = put_item
    DynamoDBBackend.update_item = update_item
    DynamoDBBackend.delete_item = delete_item
    DynamoDBBackend.transact_write_items = transact_write_items


def _patch_one_request_at_a_time():
    """Every DynamoDB request runs whole, one at a time, as one atomic step.

    The race this closes (seen as "An error occurred (500) when calling the Query operation" under
    concurrent writes): a Query took its items between writes, but moto then read those same Item objects
    outside any lock while it filtered, sorted (``x.attrs[key]``), deep-copied and built LastEvaluatedKey
    (``attrs[col]``). UpdateItem changes a stored Item in place, so a concurrent ``REMOVE H`` between the
    index check and the sort raised KeyError, and an added attribute during the deep copy raised "dictionary
    changed size during iteration": both a 500. Scan, GetItem and BatchGetItem read live items the same way,
    and a Scan walks ``table.items`` while a put may add a partition. DynamoDB answers each request from one
    consistent state; here each request holds the lock from parsing to the serialized answer. The JVM of the
    local cloud already sends its DynamoDB requests one at a time, so nothing is slower there."""
    from moto.dynamodb.responses import DynamoHandler

    plain_call = DynamoHandler.call_action

    def call_action(self):
        with _REQUESTS:
            return plain_call(self)

    DynamoHandler.call_action = call_action


# Limits as DynamoDB documents them (API reference and "Service, account, and table quotas"), with its texts.
BATCH_GET_MAX_KEYS = 100
BATCH_WRITE_MAX_REQUESTS = 25
TRANSACT_MAX_ITEMS = 100
TRANSACT_MAX_BYTES = 4 * 1024 * 1024


def _attribute_bytes(attrs):
    """DynamoDB's item size: attribute name lengths plus value sizes (moto's own measure of a value)."""
    from moto.dynamodb.models.dynamo_type import DynamoType, bytesize
    return sum(bytesize(name) + DynamoType(value).size() for name, value in (attrs or {}).items())


def _patch_limits(strict, page_size):
    """The strict-limits mode (GOALPOST_MOTO_STRICT_LIMITS=1) and the small-page mode (GOALPOST_MOTO_PAGE_SIZE=N).

    Strict limits refuse, with DynamoDB's ValidationException texts, what DynamoDB refuses and moto lets
    through: BatchWriteItem over 25 requests, TransactWriteItems over 4 MB (moto already refuses over 100
    items, the same item twice and an item over 400 KB, and BatchGetItem over 100 keys). TransactGetItems takes
    up to 100 items as DynamoDB does (moto stops at 25). BatchGetItem over 16 MB is not an error in DynamoDB:
    it returns the rest as UnprocessedKeys, which moto does.

    Small pages make every Query and Scan stop after N evaluated items (min(Limit, N) with a Limit), as if
    DynamoDB's 1 MB cap had been reached: the answer carries LastEvaluatedKey when more items follow. The cap
    counts items read before the FilterExpression, as DynamoDB's does, so a filtered page can come back empty
    with a LastEvaluatedKey, and Select=COUNT pages too. BatchGetItem answers only its first N keys and returns
    the others as UnprocessedKeys."""
    from moto.dynamodb import responses
    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.responses import DynamoHandler

    if strict:
        responses.TRANSACTION_MAX_ITEMS = TRANSACT_MAX_ITEMS  # TransactGetItems' limit (moto: 25)
        plain_batch_write = DynamoHandler.batch_write_item
        plain_transact_write = DynamoHandler.transact_write_items

        def batch_write_item(self):
            tables = self.body.get("RequestItems") or {}
            for name, requests in tables.items():
                if len(requests) > BATCH_WRITE_MAX_REQUESTS:
                    raise MockValidationException(
                        "1 validation error detected: Value '{%s=[%s]}' at 'requestItems' failed to satisfy "
                        "constraint: Map value must satisfy constraint: [Member must have length less than or "
                        "equal to 25, Member must have length greater than or equal to 1]"
                        % (name, ", ".join("com.amazonaws.dynamodb.v20120810.WriteRequest" for _ in requests)))
            if sum(len(requests) for requests in tables.values()) > BATCH_WRITE_MAX_REQUESTS:
                raise MockValidationException("Too many items requested for the BatchWriteItem call")
            return plain_batch_write(self)

        def transact_write_items(self):
            items = self.body.get("TransactItems") or []
            total = 0
            for item in items:
                for op_type, op in item.items():
                    total += _attribute_bytes(op.get("Item") if op_type == "Put" else op.get("Key"))
                    total += _attribute_bytes(op.get("ExpressionAttributeValues"))
            if total > TRANSACT_MAX_BYTES:
                raise MockValidationException("Transaction request cannot be larger than 4 MB")
            return plain_transact_write(self)

        DynamoHandler.batch_write_item = batch_write_item
        DynamoHandler.transact_write_items = transact_write_items

    if page_size and page_size > 0:
        plain_query = DynamoHandler.query
        plain_scan = DynamoHandler.scan
        plain_batch_get = DynamoHandler.batch_get_item

        def capped(plain):
            def run(self):
                limit = self.body.get("Limit")
                self.body["Limit"] = page_size if limit is None else min(int(limit), page_size)
                return plain(self)
            return run

        def batch_get_item(self):
            tables = self.body.get("RequestItems") or {}
            total = sum(len(t.get("Keys") or []) for t in tables.values())
            if total <= page_size or total > BATCH_GET_MAX_KEYS:  # moto answers (or refuses, over 100) it all
                return plain_batch_get(self)
            kept, rest, left = {}, {}, page_size
            for name, request in tables.items():
                keys = request.get("Keys") or []
                now, later = keys[:left], keys[left:]
                left -= len(now)
                if now:
                    kept[name] = dict(request, Keys=now)
                if later:
                    rest[name] = dict(request, Keys=later)
            self.body["RequestItems"] = kept
            result = plain_batch_get(self)
            unprocessed = result.result.setdefault("UnprocessedKeys", {})
            for name, request in rest.items():
                if name in unprocessed:
                    unprocessed[name]["Keys"].extend(request["Keys"])
                else:
                    unprocessed[name] = request
            return result

        DynamoHandler.query = capped(plain_query)
        DynamoHandler.scan = capped(plain_scan)
        DynamoHandler.batch_get_item = batch_get_item


def _patch_sqs():
    """moto counts a queue's messages (reading the clock twice per message, through datetime) each time a
    queue's attributes are read, four times per SendMessage: with 8,000 messages waiting, a send took about a
    second. Here the counts read the clock once, and the clock is time.time() (the same epoch milliseconds)."""
    import time
    from moto.sqs import models

    plain_unix_time = models.unix_time
    models.unix_time = lambda dt=None: time.time() if dt is None else plain_unix_time(dt)
    models.unix_time_millis = lambda dt=None: time.time() * 1000.0 if dt is None else plain_unix_time(dt) * 1000.0

    def count(test):
        def counted(self):
            now = time.time() * 1000.0
            return sum(1 for m in list(self._messages) if test(m, now))
        return property(counted)

    models.Queue.approximate_number_of_messages = count(lambda m, now: now > m.visible_at and not now < m.delayed_until)
    models.Queue.approximate_number_of_messages_not_visible = count(lambda m, now: not now > m.visible_at)
    models.Queue.approximate_number_of_messages_delayed = count(lambda m, now: now < m.delayed_until)


if __name__ == "__main__":
    if os.environ.get("GOALPOST_MOTO_PLAIN") != "1":
        try:
            _patch_one_request_at_a_time()
            _patch()
        except (ImportError, AttributeError) as e:  # another moto layout: run it as it is
            print("goalpost_moto: DynamoDB fixes not applied (%s); running moto's unchanged" % e, file=sys.stderr)
        try:
            _patch_sqs()
        except (ImportError, AttributeError) as e:
            print("goalpost_moto: SQS fix not applied (%s); running moto's unchanged" % e, file=sys.stderr)
    strict = os.environ.get("GOALPOST_MOTO_STRICT_LIMITS") == "1"
    page_size = int(os.environ.get("GOALPOST_MOTO_PAGE_SIZE") or "0")
    if strict or page_size > 0:
        try:
            _patch_limits(strict, page_size)
            print("goalpost_moto: strict limits %s, page size %s" % ("on" if strict else "off", page_size or "off"),
                  file=sys.stderr)
        except (ImportError, AttributeError) as e:
            print("goalpost_moto: limits not applied (%s)" % e, file=sys.stderr)
    # Fault mode (GOALPOST_FAULTS): its own module, read goalpost_faults.py.
    try:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import goalpost_faults

        goalpost_faults.install()
    except (ImportError, AttributeError) as e:
        print("goalpost_moto: fault mode not available (%s)" % e, file=sys.stderr)
    from moto.server import main

    main(sys.argv[1:])
