"""Checks that goalpost_moto.py answers like plain moto.

First SQS: the message counts of a FIFO and a standard queue through sends (duplicates, delays), receives
and deletes. Then DynamoDB:
the same seeded workload runs twice in-process (moto's mock_aws), once with moto as it is and once with
the launcher's patches: puts, updates that move items between index keys, deletes, and transactions (some
cancelled by a condition), then Query pages of the table and of two global indexes (key conditions, a filter,
limits, both directions, a second page). The answers must be identical byte for byte.

Then the launcher is started as a server and hammered: threads move items between index values while others
query those values. No request may fail, and once quiet every index Query must return exactly the items a
Scan finds with that value.

Last, the strict-limits and small-page modes (limits_check): each refusal with DynamoDB's text, and pages of 3
(filtered, counted, scanned, batch-read) that add up to the whole.

Run: python3 compare_with_plain_moto.py [items]      (default 6000; prints SAME and both times, or exits 1)
"""
import json
import os
import random
import subprocess
import sys
import time

LAUNCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "resources", "emulator")

QUERIES = [
    dict(TableName="t", KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": {"S": "p7"}}, Limit=5),
    dict(TableName="t", KeyConditionExpression="PK = :p AND SK > :s", ScanIndexForward=False, Limit=7,
         ExpressionAttributeValues={":p": {"S": "p7"}, ":s": {"S": "s01000"}}),
    dict(TableName="t", IndexName="GSI1", KeyConditionExpression="G1 = :g", Limit=6,
         ExpressionAttributeValues={":g": {"S": "g4"}}),
    dict(TableName="t", IndexName="GSI1", KeyConditionExpression="G1 = :g AND begins_with(G2, :b)",
         ExpressionAttributeValues={":g": {"S": "g4"}, ":b": {"S": "x1"}}, Limit=4, ScanIndexForward=False),
    dict(TableName="t", IndexName="GSI1", KeyConditionExpression="G1 = :g",
         ExpressionAttributeValues={":g": {"S": "nope"}}),
    dict(TableName="t", IndexName="GSI2", KeyConditionExpression="H1 = :h", Limit=50,
         ExpressionAttributeValues={":h": {"S": "h3"}}),
    dict(TableName="t", IndexName="GSI1", KeyConditionExpression="G1 = :g", FilterExpression="v > :v", Limit=9,
         ExpressionAttributeValues={":g": {"S": "g5"}, ":v": {"N": "3000"}}),
    dict(TableName="u", IndexName="UG1", KeyConditionExpression="G1 = :g", Limit=20,
         ExpressionAttributeValues={":g": {"S": "g2"}}),
]


def hash_table(c, name, key, index, index_key, projection):
    """A table keyed by one string attribute, with one global index keyed by another."""
    c.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in (key, index_key)],
        GlobalSecondaryIndexes=[{"IndexName": index, "Projection": {"ProjectionType": projection},
                                 "KeySchema": [{"AttributeName": index_key, "KeyType": "HASH"}]}])


def queue_counts(c):
    """SQS: the message counts a queue reports through sends (duplicates too), receives, deletes and delays."""
    out = []
    fifo = c.create_queue(QueueName="q.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    plain = c.create_queue(QueueName="q")["QueueUrl"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]
    for i in range(60):
        c.send_message(QueueUrl=fifo, MessageBody="m%d" % (i % 45), MessageGroupId="g%d" % (i % 7))
        c.send_message(QueueUrl=plain, MessageBody="m%d" % i, DelaySeconds=600 if i % 10 == 0 else 0)
    for url in (fifo, plain):
        out.append(c.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"])
        got = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600).get("Messages", [])
        for m in got[:4]:
            c.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        out.append([len(got), c.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]])
    return out


def workload(patched, n):
    sys.path.insert(0, LAUNCHER)
    import goalpost_moto
    if patched:
        try:
            goalpost_moto._patch_sqs()
            goalpost_moto._patch()
        except (ImportError, AttributeError) as e:  # the launcher then runs this moto unchanged, too
            print("patch not applicable to this moto (%s): the launcher runs it unchanged" % e, file=sys.stderr)
            sys.exit(3)
    import boto3
    from botocore.exceptions import ClientError
    from moto import mock_aws

    rnd = random.Random(7)
    with mock_aws():
        queues = queue_counts(boto3.client("sqs", region_name="us-east-1"))
        c = boto3.client("dynamodb", region_name="us-east-1")
        c.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "G1", "G2", "H1")],
            GlobalSecondaryIndexes=[
                {"IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"},
                 "KeySchema": [{"AttributeName": "G1", "KeyType": "HASH"}, {"AttributeName": "G2", "KeyType": "RANGE"}]},
                {"IndexName": "GSI2", "Projection": {"ProjectionType": "KEYS_ONLY"},
                 "KeySchema": [{"AttributeName": "H1", "KeyType": "HASH"}]}])
        hash_table(c, "u", "ID", "UG1", "G1", "ALL")

        def key(j):
            return {"PK": {"S": "p%d" % (j % 500)}, "SK": {"S": "s%05d" % j}}

        for start in range(0, n, 25):
            rows, others = [], []
            for j in range(start, min(n, start + 25)):
                item = dict(key(j), v={"N": str(j)})
                if j % 3:
                    item.update(G1={"S": "g%d" % (j % 50)}, G2={"S": "x%05d" % (n - j)})
                if j % 2:
                    item["H1"] = {"S": "h%d" % (j % 7)}
                rows.append({"PutRequest": {"Item": item}})
                others.append({"PutRequest": {"Item": {"ID": {"S": "i%d" % j}, "G1": {"S": "g%d" % (j % 9)}}}})
            c.batch_write_item(RequestItems={"t": rows, "u": others})

        def answers():
            out = []
            for q in QUERIES:
                first = c.query(**q)
                second = c.query(ExclusiveStartKey=first["LastEvaluatedKey"], **q) if "LastEvaluatedKey" in first else {}
                out.append([first["Items"], first.get("LastEvaluatedKey"), first["Count"], second.get("Items", [])])
            return out

        out = [answers()]
        for _ in range(4):
            for k in range(300):
                j = rnd.randrange(n)
                op = rnd.randrange(6)
                try:
                    if op == 0:
                        c.update_item(TableName="t", Key=key(j), UpdateExpression="SET G1 = :g, G2 = :x",
                                      ExpressionAttributeValues={":g": {"S": "g%d" % rnd.randrange(8)},
                                                                 ":x": {"S": "x%d" % rnd.randrange(99)}})
                    elif op == 1:
                        c.update_item(TableName="t", Key=key(j), UpdateExpression="REMOVE G1, H1")
                    elif op == 2:
                        c.delete_item(TableName="t", Key=key(j))
                    elif op == 3:
                        c.put_item(TableName="t", Item=dict(key(j), G1={"S": "g4"}, G2={"S": "x1%d" % k},
                                                            H1={"S": "h3"}, v={"N": "4000"}),
                                   ConditionExpression="attribute_exists(PK)" if k % 2 else "attribute_not_exists(nothing)")
                    elif op == 4:
                        j2 = rnd.randrange(n)
                        if j2 == j:
                            continue
                        c.transact_write_items(TransactItems=[
                            {"Update": {"TableName": "t", "Key": key(j), "UpdateExpression": "SET G1 = :g, G2 = :x, H1 = :h",
                                        "ExpressionAttributeValues": {":g": {"S": "g5"}, ":x": {"S": "x9"}, ":h": {"S": "h1"}}}},
                            {"Update": {"TableName": "t", "Key": key(j2), "UpdateExpression": "SET G1 = :g",
                                        "ConditionExpression": "attribute_exists(G2)" if k % 3 else "attribute_not_exists(PK)",
                                        "ExpressionAttributeValues": {":g": {"S": "g2"}}}},
                            {"Put": {"TableName": "u", "Item": {"ID": {"S": "i%d" % j}, "G1": {"S": "g%d" % (k % 3)}}}}])
                    else:
                        c.delete_item(TableName="u", Key={"ID": {"S": "i%d" % j}})
                except ClientError:
                    pass  # a failed condition or a cancelled transaction: part of the workload
            out.append(answers())
        return [queues] + out


def launcher_server(env=None):
    """The launcher as a server on a free port: (process, a function making clients of it)."""
    import socket
    import urllib.request
    import boto3
    from botocore.config import Config

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, os.path.join(LAUNCHER, "goalpost_moto.py"), "-H", "127.0.0.1", "-p",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, **(env or {})))
    url = "http://127.0.0.1:%d" % port
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    return server, lambda: boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1", aws_access_key_id="t",
                                        aws_secret_access_key="t",
                                        config=Config(retries={"max_attempts": 1}, read_timeout=120))


def limits_check():
    """The strict-limits and small-page modes (page size 3): what DynamoDB refuses is refused with its text,
    and every Query, Scan and BatchGetItem answers in pieces that add up to the whole."""
    from botocore.exceptions import ClientError

    server, client = launcher_server({"GOALPOST_MOTO_STRICT_LIMITS": "1", "GOALPOST_MOTO_PAGE_SIZE": "3"})
    problems = []

    def refused(what, text, call):
        try:
            call()
            problems.append("%s: accepted" % what)
        except ClientError as e:
            error = e.response["Error"]
            if error["Code"] != "ValidationException" or text not in error["Message"]:
                problems.append("%s: %s %s" % (what, error["Code"], error["Message"][:120]))

    try:
        c = client()
        c.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                       KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
                       AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                                             {"AttributeName": "SK", "AttributeType": "S"}])
        key = lambda j: {"PK": {"S": "p"}, "SK": {"S": "s%03d" % j}}
        for start in range(0, 20, 5):
            c.batch_write_item(RequestItems={"t": [{"PutRequest": {"Item": dict(key(j), v={"N": str(j)})}}
                                                   for j in range(start, start + 5)]})

        def pages(call, **request):
            out, start = [], None
            while True:
                page = call(**(dict(request, ExclusiveStartKey=start) if start else request))
                out.append(page)
                start = page.get("LastEvaluatedKey")
                if not start:
                    return out

        q = dict(TableName="t", KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": {"S": "p"}})
        got = pages(c.query, **q)
        if [len(p["Items"]) for p in got] != [3] * 6 + [2] or [i["v"]["N"] for p in got for i in p["Items"]] != [
                str(j) for j in range(20)]:
            problems.append("Query pages: %s" % [len(p["Items"]) for p in got])
        if [len(p["Items"]) for p in pages(c.query, Limit=2, **q)][:2] != [2, 2]:
            problems.append("Query with Limit 2: not min(Limit, 3)")
        filtered = pages(c.query, FilterExpression="v >= :v", **dict(q, ExpressionAttributeValues={
            ":p": {"S": "p"}, ":v": {"N": "18"}}))
        if [len(p["Items"]) for p in filtered] != [0] * 6 + [2]:
            problems.append("filtered Query pages (the cap counts items before the filter): %s"
                            % [len(p["Items"]) for p in filtered])
        if sum(p["Count"] for p in pages(c.query, Select="COUNT", **q)) != 20 or len(pages(c.query, Select="COUNT", **q)) != 7:
            problems.append("COUNT Query does not page")
        if [len(p["Items"]) for p in pages(c.scan, TableName="t")] != [3] * 6 + [2]:
            problems.append("Scan pages")
        batch = c.batch_get_item(RequestItems={"t": {"Keys": [key(j) for j in range(10)], "ConsistentRead": True}})
        if len(batch["Responses"]["t"]) != 3 or len(batch["UnprocessedKeys"]["t"]["Keys"]) != 7 or \
                not batch["UnprocessedKeys"]["t"].get("ConsistentRead"):
            problems.append("BatchGetItem of 10 keys: %d answered, %s" % (len(batch["Responses"]["t"]),
                                                                        batch.get("UnprocessedKeys")))
        refused("BatchGetItem of 101 keys", "Member must have length less than or equal to 100",
                lambda: c.batch_get_item(RequestItems={"t": {"Keys": [key(j) for j in range(101)]}}))
        refused("BatchWriteItem of 26 requests", "Member must have length less than or equal to 25",
                lambda: c.batch_write_item(RequestItems={"t": [{"PutRequest": {"Item": key(100 + j)}} for j in range(26)]}))
        refused("TransactWriteItems of 101 items", "Member must have length less than or equal to 100",
                lambda: c.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": key(200 + j)}}
                                                              for j in range(101)]))
        refused("TransactWriteItems of 11 x 390 KB", "Transaction request cannot be larger than 4 MB",
                lambda: c.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": dict(
                    key(300 + j), big={"S": "x" * 390000})}} for j in range(11)]))
        refused("one item twice in a transaction", "Transaction request cannot include multiple operations on one item",
                lambda: c.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": key(1)}},
                                                              {"Delete": {"TableName": "t", "Key": key(1)}}]))
        refused("an item over 400 KB", "Item size has exceeded the maximum allowed size",
                lambda: c.put_item(TableName="t", Item=dict(key(400), big={"S": "x" * 410000})))
        if len(c.transact_get_items(TransactItems=[{"Get": {"TableName": "t", "Key": key(j % 20)}}
                                                   for j in range(100)])["Responses"]) != 100:
            problems.append("TransactGetItems of 100 items refused")
        refused("TransactGetItems of 101 items", "Member must have length less than or equal to 100",
                lambda: c.transact_get_items(TransactItems=[{"Get": {"TableName": "t", "Key": key(j)}} for j in range(101)]))
        if len(pages(c.query, **q)[0]["Items"]) != 3:
            problems.append("a refused request changed the table")
        if sum(len(p["Items"]) for p in pages(c.query, **q)) != 20:
            problems.append("a refused transaction wrote items")
    finally:
        server.terminate()
        server.wait()
    return problems


def concurrent_check(seconds=45, items=10000, threads=4):
    """Writers flip items between two index values (half the time removing it) while readers query them,
    against the launcher as a server. The old race (a Query reading items an UpdateItem changed in place) failed
    about one run in three at 40 s on a busy 2-core machine, with 20,000 items and a fifth of the writes removals;
    with these settings it failed 8 requests in one run. The catch rate depends on time, not on the table's size
    (a bigger table makes fewer, longer Queries)."""
    import threading
    from botocore.exceptions import BotoCoreError, ClientError

    server, client = launcher_server()
    try:
        c = client()
        hash_table(c, "hot", "PK", "HOT", "H", "KEYS_ONLY")
        for start in range(0, items, 25):
            c.batch_write_item(RequestItems={"hot": [{"PutRequest": {"Item": {"PK": {"S": "k%d" % j}, "H": {"S": "hot"}}}}
                                                     for j in range(start, min(items, start + 25))]})
        failures = []
        stop = time.time() + seconds

        def writer(n):
            w, rnd = client(), random.Random(n)
            while time.time() < stop:
                j = rnd.randrange(items)
                try:
                    if rnd.random() < 0.5:  # a REMOVE under a running Query is what broke it
                        w.update_item(TableName="hot", Key={"PK": {"S": "k%d" % j}}, UpdateExpression="REMOVE H")
                    else:
                        w.update_item(TableName="hot", Key={"PK": {"S": "k%d" % j}}, UpdateExpression="SET H = :h",
                                      ExpressionAttributeValues={":h": {"S": rnd.choice(["hot", "cold"])}})
                except (ClientError, BotoCoreError) as e:  # a 500, or no answer within the read timeout
                    failures.append("write: %s" % str(e).splitlines()[0])

        def reader(n):
            r = client()
            while time.time() < stop:
                try:
                    r.query(TableName="hot", IndexName="HOT", KeyConditionExpression="H = :h",
                            ExpressionAttributeValues={":h": {"S": "hot" if n % 2 else "cold"}}, Select="COUNT")
                except (ClientError, BotoCoreError) as e:
                    failures.append("query: %s" % str(e).splitlines()[0])

        workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
        workers += [threading.Thread(target=reader, args=(i,)) for i in range(threads)]
        for t in workers:  # the writers first: the first index Query (which builds the map) meets writes
            t.start()
        for t in workers:
            t.join()
        if failures:
            return "%d requests failed under concurrency, e.g. %s" % (len(failures), failures[0])
        scanned = {}
        for page in c.get_paginator("scan").paginate(TableName="hot"):
            for item in page["Items"]:
                if "H" in item:
                    scanned.setdefault(item["H"]["S"], set()).add(item["PK"]["S"])
        for value in ("hot", "cold"):
            found = set()
            for page in c.get_paginator("query").paginate(TableName="hot", IndexName="HOT", KeyConditionExpression="H = :h",
                                                          ExpressionAttributeValues={":h": {"S": value}}):
                found |= {item["PK"]["S"] for item in page["Items"]}
            if found != scanned.get(value, set()):
                return "index Query for %s: %d items, Scan finds %d" % (value, len(found), len(scanned.get(value, ())))
        return None
    finally:
        server.terminate()
        server.wait()


def main():
    if len(sys.argv) > 2:  # a child: one mode
        started = time.time()
        out = workload(sys.argv[1] == "patched", int(sys.argv[2]))
        print(json.dumps({"seconds": round(time.time() - started, 2), "answers": out}, sort_keys=True))
        return
    n = sys.argv[1] if len(sys.argv) > 1 else "6000"
    runs = {}
    for mode in ("plain", "patched"):
        done = subprocess.run([sys.executable, os.path.abspath(__file__), mode, n], capture_output=True, text=True)
        if done.returncode == 3:
            print(done.stderr.strip())
            return
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            sys.exit(1)
        runs[mode] = json.loads(done.stdout)
    if runs["plain"]["answers"] != runs["patched"]["answers"]:
        for i, (a, b) in enumerate(zip(runs["plain"]["answers"], runs["patched"]["answers"])):
            if a != b:
                print("DIFFERENT after round %d" % i)
                break
        sys.exit(1)
    print("SAME: queue counts, and for %s items %d queries; plain %.1f s, patched %.1f s" % (
        n, sum(len(r) for r in runs["plain"]["answers"][1:]), runs["plain"]["seconds"], runs["patched"]["seconds"]))
    problem = concurrent_check()
    if problem:
        print("CONCURRENCY: " + problem)
        sys.exit(1)
    print("CONCURRENT: no failed request; every index Query equals the Scan once quiet")
    problems = limits_check()
    if problems:
        print("LIMITS: " + "; ".join(problems))
        sys.exit(1)
    print("LIMITS: strict limits refuse with DynamoDB's texts; pages of 3 add up to the whole")


if __name__ == "__main__":
    main()
