"""moto's server, with one performance fix to DynamoDB TransactWriteItems.

moto (5.2.1) backs a transaction up by deep-copying every table it names, once per transaction item, and
restores those copies when the transaction is cancelled. A 9-item transaction on a table of 10,000 items
therefore copies 90,000 items, and the copies put back on cancellation erase whatever other requests wrote
meanwhile. This launcher keeps moto's own transaction logic (conditions, error codes, cancellation reasons)
and replaces only the backup: it snapshots the items the transaction touches and, if moto raises, puts
exactly those back. The result is the same as moto's for a lone request, and faster by the table's size.

Run: python3 goalpost_moto.py [moto.server arguments]   (e.g. -H 127.0.0.1 -p 5000)
GOALPOST_MOTO_PLAIN=1 runs moto unchanged.
"""
import copy
import os
import sys
import threading

_local = threading.local()


def _patch():
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    plain_transact = DynamoDBBackend.transact_write_items

    def table_deepcopy(self, memo):
        if getattr(_local, "share_tables", False):
            return self  # the backup moto asks for; the snapshots below replace it
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            setattr(clone, name, copy.deepcopy(value, memo))
        return clone

    Table.__deepcopy__ = table_deepcopy

    def key_of(backend, op_type, op):
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            return None
        source = op.get("Item") if op_type == "Put" else op.get("Key")
        if not isinstance(source, dict) or table.hash_key_attr not in source:
            return None
        key = {table.hash_key_attr: source[table.hash_key_attr]}
        if table.range_key_attr is not None:
            if table.range_key_attr not in source:
                return None
            key[table.range_key_attr] = source[table.range_key_attr]
        return op["TableName"], key

    def snapshot(backend, transact_items):
        snaps = []
        for entry in transact_items:
            if not isinstance(entry, dict) or len(entry) != 1:
                continue
            op_type, op = next(iter(entry.items()))
            if not isinstance(op, dict):
                continue
            located = key_of(backend, op_type, op)
            if located is None:
                continue
            table_name, key = located
            try:
                current = backend.get_item(table_name, key)
            except Exception:
                continue
            before = copy.deepcopy(current.to_json()["Attributes"]) if current is not None else None
            snaps.append((table_name, key, before))
        return snaps

    def restore(backend, snaps):
        for table_name, key, before in reversed(snaps):
            if before is None:
                backend.delete_item(table_name, key)
            else:
                backend.put_item(table_name, before)

    def transact_write_items(self, transact_items):
        snaps = snapshot(self, transact_items)
        _local.share_tables = True
        try:
            return plain_transact(self, transact_items)
        except BaseException:
            _local.share_tables = False
            restore(self, snaps)
            raise
        finally:
            _local.share_tables = False

    DynamoDBBackend.transact_write_items = transact_write_items


if __name__ == "__main__":
    if os.environ.get("GOALPOST_MOTO_PLAIN") != "1":
        try:
            _patch()
        except (ImportError, AttributeError) as e:  # another moto layout: run it as it is
            print("goalpost_moto: transaction fix not applied (%s); running moto unchanged" % e, file=sys.stderr)
    from moto.server import main

    main(sys.argv[1:])
