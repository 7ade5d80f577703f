"""moto's server, with performance fixes to DynamoDB transactions and queries.

moto (5.2.1) backs a transaction up by deep-copying every table it names, once per transaction item, and
restores those copies when the transaction is cancelled. A 9-item transaction on a table of 10,000 items
therefore copies 90,000 items, and the copies put back on cancellation erase whatever other requests wrote
meanwhile. This launcher keeps moto's own transaction logic (conditions, error codes, cancellation reasons)
and replaces only the backup: each item's image is saved just before the transaction first writes it and, if
moto raises, exactly those items are put back. Writes (each item write, each transaction) also run one at a
time, as DynamoDB applies each atomically.

moto also answers every Query by looking at every item of the table. Here a table Query reads its partition
and a global index Query reads the items whose index hash attribute has the asked value (a map per attribute,
kept up to date by every write); moto's own code still applies the conditions, sorts and pages.

The results are the same as moto's for a lone request, and faster by the table's size.

Run: python3 goalpost_moto.py [moto.server arguments]   (e.g. -H 127.0.0.1 -p 5000)
GOALPOST_MOTO_PLAIN=1 runs moto unchanged. GOALPOST_FAULTS=rate=0.05,seed=42 turns on the fault mode
(goalpost_faults.py, next to this file).
"""
import copy
import inspect
import os
import sys
import threading

_local = threading.local()


def _patch():
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType, Item
    from moto.dynamodb.models.table import Table

    plain_transact = DynamoDBBackend.transact_write_items
    plain_put = DynamoDBBackend.put_item
    plain_update = DynamoDBBackend.update_item
    plain_delete = DynamoDBBackend.delete_item
    # One write request at a time, a transaction included: DynamoDB applies each request atomically, while
    # moto's server runs requests on parallel threads.
    writes = threading.RLock()

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

    def transact_write_items(self, transact_items):
        with writes:
            _local.snaps = {}
            _local.share_tables = True
            try:
                return plain_transact(self, transact_items)
            except BaseException:
                _local.share_tables = False
                snaps, _local.snaps = _local.snaps, None
                restore(self, snaps)
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
            _patch()
        except (ImportError, AttributeError) as e:  # another moto layout: run it as it is
            print("goalpost_moto: DynamoDB fixes not applied (%s); running moto's unchanged" % e, file=sys.stderr)
        try:
            _patch_sqs()
        except (ImportError, AttributeError) as e:
            print("goalpost_moto: SQS fix not applied (%s); running moto's unchanged" % e, file=sys.stderr)
    # Fault mode (GOALPOST_FAULTS): its own module, read goalpost_faults.py.
    try:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import goalpost_faults

        goalpost_faults.install()
    except (ImportError, AttributeError) as e:
        print("goalpost_moto: fault mode not available (%s)" % e, file=sys.stderr)
    from moto.server import main

    main(sys.argv[1:])
