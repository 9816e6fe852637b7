"""`make mutants`: break each claim the tests make, one at a time, and check that a test fails.

Every mutant is written by hand: a file, an exact text in it, its replacement, and the test
files that must fail once it is applied. Each is applied to a scratch copy of the tree (the
working files are never edited), the named tests run there, and the mutant is "killed" when
they fail, "survived" when they pass. A mutant whose text is not found (code moved or
rewritten) is an ERROR, never a pass: fix its entry. Exit status 0 only when every mutant ran
and was killed.

    .venv/bin/python bench/mutants.py             # all of them
    .venv/bin/python bench/mutants.py -k redirect # those whose name holds "redirect"
    .venv/bin/python bench/mutants.py --check     # only that every text is found, once
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
MUTANT_TIMEOUT = 900  # seconds for one mutant's tests (each test has its own 300 s limit)


@dataclass(frozen=True)
class Mutant:
    name: str
    claim: str
    files: tuple  # where the text may be: the first that holds it is mutated
    old: str
    new: str
    tests: tuple

    def __post_init__(self):
        if isinstance(self.files, str):
            object.__setattr__(self, "files", (self.files,))
        if isinstance(self.tests, str):
            object.__setattr__(self, "tests", (self.tests,))


FETCH = "objects/sync/fetch_policy.py"
SOURCES = "objects/sync/sources.py"
T_FETCH = "tests/sync/test_fetch_policy.py"
CHECKS = "objects/quality/checks.py"
UPLOAD = "objects/quality/upload.py"
IDS = "objects/lwm2m/ids.py"  # where the ID ranges are moving
# The payload codecs (issue 33): each killed by the tests of its own package.
TLV = "objects/lwm2m/tlv.py"
SENML = "objects/lwm2m/senml.py"
LWM2M_JSON = "objects/lwm2m/lwm2m_json.py"
VALUES = "objects/lwm2m/values.py"
PAYLOAD = "objects/lwm2m/payload.py"
ENCODING = "objects/lwm2m/encoding.py"  # values written as a payload
RANGES = "objects/lwm2m/ranges.py"  # the one reader of RangeEnumeration texts
T_TLV = "tests/lwm2m/test_tlv.py"
T_SENML = "tests/lwm2m/test_senml.py"
T_LWM2M_JSON = "tests/lwm2m/test_lwm2m_json.py"
T_VALUES = "tests/lwm2m/test_values.py"
T_CONTENT_FORMATS = "tests/lwm2m/test_content_formats.py"
T_LWM2M = (T_TLV, T_SENML, T_LWM2M_JSON, T_VALUES, T_CONTENT_FORMATS)  # the package's tests
T_DECODE = "tests/catalog/test_decode.py"
T_RANGES = "tests/lwm2m/test_ranges.py"
FIELDS = "objects/sync/field_checks.py"
T_CHECKS = "tests/quality/test_checks.py"
T_FIELDS = "tests/sync/test_field_checks.py"
SEARCH = "objects/catalog/search.py"
LISTS = "objects/views/lists.py"
STORE = "objects/sync/store.py"
OWNERS = "objects/catalog/owners.py"
T_FACETS = "tests/views/test_list_facets.py"
T_ESCAPING = "tests/views/test_list_escaping.py"
T_RESILIENCE = "tests/sync/test_resilience.py"
T_OWNERS = "tests/catalog/test_owners.py"
DEFINITIONS = "objects/lwm2m/definitions.py"
COMPARE = "objects/catalog/compare.py"
LEASE = "objects/sync/lease.py"
REGISTRY_API = "objects/mirror/registry_api.py"
T_QUALITY_PAGES = "tests/views/test_quality_pages.py"
T_COMPARE = "tests/catalog/test_compare.py"
T_MIRROR_CACHE = "tests/mirror/test_mirror_cache.py"
T_FRONT = "tests/views/test_server_front.py"
FRONT = "registry_site/front.py"
HTTP_CACHE = "registry_site/http_cache.py"
HEAVY = "objects/views/heavy.py"
T_HTTP_CACHE = "tests/views/test_http_cache.py"
T_ANSWER_STORE = "tests/views/test_answer_store.py"
T_HEAVY = "tests/views/test_heavy.py"

MUTANTS = [
    # -- the trust boundary ------------------------------------------------------------------
    Mutant(
        "ipv4-compatible-public",
        "::127.0.0.1 (IPv4-compatible) is judged by its IPv4 address",
        FETCH,
        'IPV4_IN_LAST_32 = (ipaddress.ip_network("::/96"), ',
        "IPV4_IN_LAST_32 = (",
        T_FETCH,
    ),
    Mutant(
        "nat64-public",
        "64:ff9b::7f00:1 (NAT64 of loopback) is not public",
        FETCH,
        ', ipaddress.ip_network("64:ff9b::/96"))',
        ")",
        T_FETCH,
    ),
    Mutant(
        "6to4-public",
        "2002:7f00:1::1 (6to4 of loopback) is not public",
        FETCH,
        "            if not is_public(ip.sixtofour):\n                return False",
        "            pass",
        T_FETCH,
    ),
    Mutant(
        "site-local-public",
        "fec0::1 (site-local) is not public",
        FETCH,
        '    ipaddress.ip_network("fec0::/10"),\n',
        "",
        T_FETCH,
    ),
    Mutant(
        "peer-check-ipv4-only",
        "an IPv6 peer (a real server on ::1) is checked like an IPv4 one",
        FETCH,
        "                policy.check_address(sock.getpeername()[0], self.host)",
        "                if sock.family == socket.AF_INET:\n"
        "                    policy.check_address(sock.getpeername()[0], self.host)",
        T_FETCH,
    ),
    Mutant(
        "six-redirects",
        "at most 5 redirects: a sixth is refused",
        SOURCES,
        "if redirects > MAX_REDIRECTS:",
        "if redirects > MAX_REDIRECTS + 1:",
        T_FETCH,
    ),
    Mutant(
        "four-redirects",
        "5 redirects are followed, not only 4",
        SOURCES,
        "if redirects > MAX_REDIRECTS:",
        "if redirects >= MAX_REDIRECTS:",
        T_FETCH,
    ),
    Mutant(
        "password-only-credentials",
        "http://:pw@host/ is refused",
        FETCH,
        "if parts.username is not None or parts.password is not None:",
        "if parts.username:",
        T_FETCH,
    ),
    Mutant(
        "user-only-credentials",
        "http://user@host/ is refused",
        FETCH,
        "if parts.username is not None or parts.password is not None:",
        "if parts.password:",
        T_FETCH,
    ),
    # -- edges: the ID ranges and the columns' lengths ---------------------------------------
    Mutant(
        "reserved-from-1025",
        "ObjectID 1024 is reserved",
        (CHECKS, IDS),
        '(None, 1024, 2047, "reserved"),',
        '(None, 1025, 2047, "reserved"),',
        T_CHECKS,
    ),
    Mutant(
        "reserved-from-42802",
        "ObjectID 42801 is reserved",
        (CHECKS, IDS),
        '(None, 42801, LAST_OBJECT_ID, "reserved"),',
        '(None, 42802, LAST_OBJECT_ID, "reserved"),',
        T_CHECKS,
    ),
    Mutant(
        "oma-kind-to-1024",
        "ObjectID 1024 (reserved) is not of URN kind oma",
        (CHECKS, IDS),
        '    0: ("oma", 0, 1023),',
        '    0: ("oma", 0, 1024),',
        T_CHECKS,
    ),
    Mutant(
        "ext-ends-at-10239",
        "ObjectID 10240 is of URN kind ext",
        (CHECKS, IDS),
        '1: ("ext", 2048, 10240)',
        '1: ("ext", 2048, 10239)',
        T_CHECKS,
    ),
    Mutant(
        "ext-ends-at-10241",
        "ObjectID 10241 is of URN kind x",
        (CHECKS, IDS),
        '1: ("ext", 2048, 10240)',
        '1: ("ext", 2048, 10241)',
        T_CHECKS,
    ),
    Mutant(
        "test-range-ends-at-42799",
        "ObjectID 42800 is in the test range (its URN kind not checked)",
        (CHECKS, IDS),
        "TEST_OBJECT_IDS: tuple[int, int] = (42769, 42800)",
        "TEST_OBJECT_IDS: tuple[int, int] = (42769, 42799)",
        T_CHECKS,
    ),
    Mutant(
        "resource-32768-refused",
        "resource ID 32768 is allowed, 32769 refused",
        (CHECKS, IDS),
        "if rid > LAST_RESOURCE_ID:",
        "if rid >= LAST_RESOURCE_ID:",
        T_CHECKS,
    ),
    Mutant(
        "resource-32769-allowed",
        "resource ID 32769 is refused",
        (CHECKS, IDS),
        "if rid > LAST_RESOURCE_ID:",
        "if rid > LAST_RESOURCE_ID + 1:",
        T_CHECKS,
    ),
    Mutant(
        "label-ext-to-10241",
        "Label 1 (SDO) covers 10240, not 10241",
        (CHECKS, IDS),
        '1: ("ext", 2048, 10240)',
        '1: ("ext", 2048, 10241)',
        T_CHECKS,
    ),
    Mutant(
        "upload-range-42800",
        "the upload page puts 42800 in the test range, 42801 in the reserved one",
        (UPLOAD, IDS),
        "TEST_OBJECT_IDS: tuple[int, int] = (42769, 42800)",
        "TEST_OBJECT_IDS: tuple[int, int] = (42769, 42801)",
        T_CHECKS,
    ),
    Mutant(
        "length-limit-refused",
        "a value exactly at its column's length is accepted",
        FIELDS,
        "if len(value) > limit:",
        "if len(value) >= limit:",
        T_FIELDS,
    ),
    Mutant(
        "length-limit-plus-one",
        "a value one character over its column's length is refused",
        FIELDS,
        "if len(value) > limit:",
        "if len(value) > limit + 1:",
        T_FIELDS,
    ),
    # -- facets ---------------------------------------------------------------------------
    Mutant(
        "facets-ignore-the-search",
        "facet counts under ?q=temperature count the matching rows only",
        SEARCH,
        "            base = candidates\n",
        "            base = index.all if params.all_versions else index.latest\n",
        T_FACETS,
    ),
    Mutant(
        "facets-memo-under-a-search",
        "the counts under a search word are not the unfiltered list's kept ones",
        SEARCH,
        "memo_key = None if params.filtered else",
        "memo_key = None if params.filters else",
        T_FACETS,
    ),
    Mutant(
        "facets-memo-ignores-versions",
        "?versions=all after / does not reuse the latest-only counts",
        SEARCH,
        "else (params.all_versions, params.statuses)",
        "else (params.statuses,)",
        T_FACETS,
    ),
    # -- escaping ---------------------------------------------------------------------------
    Mutant(
        "resource-hit-unescaped",
        "a hostile resource name in the list's resource hits is escaped",
        LISTS,
        "((version_url(row), rid, rid, name) for rid, name in hits)",
        "((version_url(row), rid, rid, mark_safe(name)) for rid, name in hits)",
        T_ESCAPING,
    ),
    # -- the swap ---------------------------------------------------------------------------
    Mutant(
        "swap-not-atomic",
        "a kill inside the final swap leaves the changes, Common.xml and schemas as they were",
        (STORE, "objects/sync/swap.py"),
        "    with transaction.atomic():\n        for registry_file in files:",
        "    if True:\n        for registry_file in files:",
        T_RESILIENCE + "::test_killed_inside_the_swap_keeps_the_changes_files_and_common",
    ),
    # -- owners -----------------------------------------------------------------------------
    Mutant(
        "owners-fuzzy-from-nine",
        "two eight-letter owner names one letter apart are one owner",
        OWNERS,
        "MIN_FUZZY = 8",
        "MIN_FUZZY = 9",
        T_OWNERS,
    ),
    Mutant(
        "owners-fuzzy-over-eight",
        "eight letters, not more than eight, is where one letter apart starts",
        OWNERS,
        "if max(len(key), len(other)) >= MIN_FUZZY and",
        "if max(len(key), len(other)) > MIN_FUZZY and",
        T_OWNERS,
    ),
    Mutant(
        "owners-fuzzy-from-seven",
        "seven-letter owner names one letter apart stay apart",
        OWNERS,
        "MIN_FUZZY = 8",
        "MIN_FUZZY = 7",
        T_OWNERS,
    ),
    # -- the weak tests, made to fail ---------------------------------------------------------
    Mutant(
        "external-entities-read",
        "an uploaded definition's external entity is never read (not only: its path echoed)",
        DEFINITIONS,
        "        return SafeET.fromstring(data, forbid_dtd=True)",
        "        from lxml import etree as _lx\n\n"
        "        return _lx.fromstring(data, _lx.XMLParser(resolve_entities=True, load_dtd=True))",
        T_QUALITY_PAGES,
    ),
    Mutant(
        "compare-no-field-cap",
        "one field's word diff is bounded (work counted, not timed)",
        COMPARE,
        "if n and m and steps <= FIELD_MATCHER_STEPS and budget.steps.take(steps):",
        "if n and m and budget.steps.take(steps):",
        T_COMPARE,
    ),
    Mutant(
        "compare-no-page-budget",
        "one page's word diffs share a bounded budget (work counted, not timed)",
        COMPARE,
        "if n and m and steps <= FIELD_MATCHER_STEPS and budget.steps.take(steps):",
        "if n and m and steps <= FIELD_MATCHER_STEPS:",
        T_COMPARE,
    ),
    Mutant(
        "lease-heartbeat-stale",
        "the heartbeat, not a sleep's luck, keeps a second sync out",
        LEASE,
        "update(\n                    heartbeat=timezone.now()\n                )",
        "update(\n                    heartbeat=timezone.now() - 2 * lease()\n                )",
        T_RESILIENCE + "::test_the_lease_beats_during_a_long_sync_and_keeps_a_second_one_out",
    ),
    Mutant(
        "mirror-cache-built-outside-the-lock",
        "requests that arrive while the mirror's answer is built wait for it",
        REGISTRY_API,
        "            if latest not in answers:\n"
        "                answers[latest] = build_whole_answer(origin, latest, last_modified)\n"
        "                self.builds += 1\n"
        "            return answers[latest]",
        "            if latest in answers:\n"
        "                return answers[latest]\n"
        "        answer = build_whole_answer(origin, latest, last_modified)\n"
        "        with self.lock:\n"
        "            self.builds += 1\n"
        "            return answers.setdefault(latest, answer)",
        T_MIRROR_CACHE,
    ),
    # -- the payload codecs (issue 33) --------------------------------------------------------
    Mutant(
        "tlv-four-levels",
        "TLV nests three levels: a container on the third is an error",
        TLV,
        "            if level >= MAX_LEVELS:",
        "            if level > MAX_LEVELS:",
        T_TLV,
    ),
    Mutant(
        "tlv-two-levels",
        "TLV reads Object Instance > Multiple Resource > Resource Instance",
        TLV,
        "            if level >= MAX_LEVELS:",
        "            if level >= MAX_LEVELS - 1:",
        T_TLV,
    ),
    Mutant(
        "tlv-id-255-wide",
        "a TLV identifier up to 255 takes one byte",
        TLV,
        "wide = tlv.identifier > 0xFF",
        "wide = tlv.identifier >= 0xFF",
        T_TLV,
    ),
    Mutant(
        "cbor-negative-bignum",
        "a CBOR negative bignum (tag 3) over n is -1 - n",
        SENML,
        "return -1 - number if negative else number",
        "return -number if negative else number",
        T_SENML,
    ),
    Mutant(
        "too-big-past-2-64",
        "2**64 is past every LwM2M type (Unsigned Integer ends at 2**64 - 1)",
        PAYLOAD,
        "-(2**63) <= number < 2**64",
        "-(2**63) <= number <= 2**64",
        T_LWM2M,
    ),
    Mutant(
        "too-big-unsigned-cut-at-2-63",
        "an Unsigned Integer up to 2**64 - 1 is a value",
        PAYLOAD,
        "-(2**63) <= number < 2**64",
        "-(2**63) <= number < 2**63",
        T_LWM2M,
    ),
    Mutant(
        "too-big-below-int64",
        "-2**63 - 1 is past every LwM2M type",
        PAYLOAD,
        "-(2**63) <= number < 2**64",
        "-(2**63) - 1 <= number < 2**64",
        T_LWM2M,
    ),
    Mutant(
        "uint64-range-to-2-64",
        "an Unsigned Integer of 2**64 is out of range",
        VALUES,
        "UINT64 = (0, 2**64 - 1)",
        "UINT64 = (0, 2**64)",
        T_VALUES,
    ),
    Mutant(
        "int64-range-to-2-63",
        "an Integer of 2**63 is out of range",
        VALUES,
        "INT64 = (-(2**63), 2**63 - 1)",
        "INT64 = (-(2**63), 2**63)",
        T_VALUES,
    ),
    Mutant(
        "lwm2m-json-base-time-dropped",
        "LwM2M JSON adds bt to each entry's t",
        LWM2M_JSON,
        'time = add_times(base_time, entry.get("t"),',
        'time = add_times(None, entry.get("t"),',
        T_LWM2M_JSON,
    ),
    Mutant(
        "lwm2m-json-base-time-unchecked",
        "LwM2M JSON's bt of 1e400 (infinite) or past 64 bits is an error, not a time",
        LWM2M_JSON,
        "if base_time is not None and not is_time(base_time):",
        "if base_time is not None and not is_number(base_time):",
        T_LWM2M_JSON,
    ),
    Mutant(
        "lwm2m-json-base64-opaque",
        "LwM2M JSON's sv is base64 for an Opaque resource",
        LWM2M_JSON,
        'raw.extra["base64"] = True',
        'raw.extra["base64"] = False',
        T_LWM2M_JSON,
    ),
    Mutant(
        "senml-base-time-dropped",
        "SenML adds bt to each record's t",
        SENML,
        "    total = (base_time or 0) + (time or 0)",
        "    total = time or 0",
        T_SENML,
    ),
    Mutant(
        "time-sum-unchecked",
        "bt + t past a Float's range (1e308 + 1e308) is an error, not an Infinity",
        SENML,
        "    if not math.isfinite(total):",
        "    if False:",
        T_LWM2M,
    ),
    Mutant(
        "lone-surrogate-read",
        "a lone UTF-16 surrogate escape in a JSON payload is an error",
        SENML,
        "    if lone is not None:",
        "    if False:",
        T_LWM2M,
    ),
    Mutant(
        "findings-uncapped",
        "findings stop at MAX_FINDINGS, one last finding counting the rest",
        PAYLOAD,
        "        if len(self) < MAX_FINDINGS:",
        "        if True:",
        T_LWM2M,
    ),
    Mutant(
        "senml-json-records-uncapped",
        "SenML JSON stops past MAX_VALUES records, as SenML CBOR does",
        SENML,
        'if index >= MAX_VALUES:\n            findings.error(f"more than {MAX_VALUES} records: the '
        'decode stops", offset=offset)',
        'if False:\n            findings.error(f"more than {MAX_VALUES} records: the '
        'decode stops", offset=offset)',
        T_SENML,
    ),
    Mutant(
        "byte-range-counts-characters",
        "a byte range on a String counts its UTF-8 bytes, not its characters",
        RANGES,
        'size = len(value) if self.units in CHAR_UNITS else len(value.encode("utf-8"))',
        "size = len(value)",
        (T_RANGES, T_DECODE),
    ),
    Mutant(
        "byte-range-low-exclusive",
        "a byte range includes its lower bound",
        RANGES,
        "(low is None or low <= number) and number <= high",
        "(low is None or low < number) and number <= high",
        (T_RANGES, T_DECODE),
    ),
    Mutant(
        "encode-overlap-silent",
        "the encoder refuses a path twice or a resource both as a value and as instances",
        ENCODING,
        "    refuse_overlaps([p for p, _ in parsed])",
        "    pass",
        T_DECODE,
    ),
    Mutant(
        "encode-json-infinity",
        "the JSON encoders refuse NaN and infinities (JSON has no number for them)",
        ENCODING,
        'fmt.name in ("senml-json", "lwm2m-json")',
        "fmt.name in ()",
        T_DECODE,
    ),
    Mutant(
        "decode-body-surrogate",
        "a JSON body holding a lone surrogate is a 400, not a 500",
        "objects/views/decode.py",
        '            unicode_only(params, "the body")',
        "            pass",
        "tests/views/test_decode_pages.py",
    ),
    Mutant(
        "decode-body-duplicate-key",
        "a key twice in a JSON body is a 400: json.loads would keep the last silently",
        "objects/views/decode.py",
        "    if len(out) < len(pairs):",
        "    if False:",
        "tests/views/test_decode_pages.py",
    ),
    # -- the origin (issue 23) ----------------------------------------------------------------
    Mutant(
        "body-read-without-deadline",
        "a trickled request body is a 408 after REQUEST_BODY_TIMEOUT, holding no thread",
        "registry_site/front.py",
        "asyncio.timeout(settings.REQUEST_BODY_TIMEOUT)",
        "asyncio.timeout(None)",
        "tests/views/test_make_run.py::test_trickled_bodies_hold_no_thread_and_are_let_go",
    ),
    Mutant(
        "chunked-body-without-limit",
        "a chunked body past MAX_REQUEST_BODY is a 413",
        "registry_site/front.py",
        "        if size > limit:\n            return None\n",
        "",
        "tests/views/test_make_run.py::test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit",
    ),
    Mutant(
        "chunked-body-without-its-length",
        "a chunked body under the limit reaches the view whole",
        "registry_site/front.py",
        '"headers": with_length(scope["headers"], len(body))',
        '"headers": scope["headers"]',
        "tests/views/test_make_run.py::test_a_chunked_body_under_the_limit_is_read_whole",
    ),
    Mutant(
        "answer-sent-without-deadline",
        "a client that reads nothing holds its thread until SEND_TIMEOUT, no longer",
        "registry_site/front.py",
        "future.result(self.timeout)",
        "future.result()",
        T_FRONT + "::test_a_client_that_reads_nothing_is_let_go_after_send_timeout",
    ),
    Mutant(
        "leaving-client-not-heard",
        "a client that leaves ends its answer at once (the server's send does not fail)",
        "registry_site/front.py",
        "if more and self.listening is None:",
        "if False:",
        T_FRONT + "::test_a_client_that_leaves_ends_its_answer_at_once",
    ),
    Mutant(
        "stopping-worker-never-killed",
        "a worker held by a client is killed after STOP_TIMEOUT",
        "registry_site/serve.py",
        '"--respawn-failed-workers", "--workers-kill-timeout", str(stop_timeout),',
        '"--respawn-failed-workers",',
        T_FRONT + "::test_a_stopping_server_kills_a_worker_held_by_a_client_after_stop_timeout",
    ),
    Mutant(
        "etag-without-the-generation",
        "no server serves an answer (or a 304) from before the swap",
        "registry_site/http_cache.py",
        'key = f"{run.generation}|{run.source}|',
        'key = f"{run.source}|',
        ("tests/views/test_answer_store.py", "tests/views/test_http_cache.py"),
    ),
    Mutant(
        "gzip-shares-the-strong-etag",
        "a compressed answer's ETag is weak, never the identity answer's strong one",
        "registry_site/http_cache.py",
        'sent = sent_etag(etag, response.has_header("Content-Encoding"))',
        "sent = etag",
        "tests/views/test_answer_store.py",
    ),
    Mutant(
        "store-without-the-encoding",
        "compressed and identity answers are stored apart",
        "registry_site/http_cache.py",
        "        key = (etag, compressed)\n",
        "        key = (etag, False)\n",
        "tests/views/test_answer_store.py",
    ),
    Mutant(
        "own-etag-304-stays-strong",
        "a file's 304 to a gzip client carries the weak ETag its compressed 200 would",
        "registry_site/http_cache.py",
        "if response.status_code == 304 and compressed and not chose and",
        "if False and",
        "tests/views/test_http_cache.py",
    ),
    Mutant(
        "own-etag-without-last-modified",
        "the repository layout's files carry Last-Modified and answer If-Modified-Since",
        "registry_site/http_cache.py",
        '        response["Last-Modified"] = http_date(modified)\n    if not response.has_header(',
        "        pass\n    if not response.has_header(",
        "tests/views/test_http_cache.py",
    ),
    # -- holding under abuse (issue 33) --------------------------------------------------------
    Mutant(
        "vary-without-the-shown-url",
        "a list's history header is the request's own: HX-Current-URL is in the key and Vary",
        HTTP_CACHE,
        '"HX-Trigger", "HX-Current-URL", "Accept")',
        '"HX-Trigger", "Accept")',
        T_HTTP_CACHE,
    ),
    Mutant(
        "200-without-vary",
        "a public 200 names in Vary every header it varies by",
        HTTP_CACHE,
        "    patch_vary_headers(response, VARY)\n",
        "    pass\n",
        T_HTTP_CACHE,
    ),
    Mutant(
        "304-vary-without-the-encoding",
        "a 304 names Accept-Encoding in Vary as its 200 does",
        HTTP_CACHE,
        '    patch_vary_headers(response, ("Accept-Encoding",))\n    return response',
        "    return response",
        T_HTTP_CACHE,
    ),
    Mutant(
        "failed-if-none-match-falls-to-if-modified-since",
        "a failed If-None-Match is a 200 though Last-Modified matches",
        HTTP_CACHE,
        "        if not matches(header, etag):\n            return None\n    else:",
        "        if matches(header, etag):\n            pass\n    if True:",
        T_HTTP_CACHE,
    ),
    Mutant(
        "key-without-the-host",
        "without SITE_URL the request's origin is part of the key",
        HTTP_CACHE,
        'url = f"{request.scheme}://{request.get_host()}{canonical_path(request)}"',
        "url = canonical_path(request)",
        T_HTTP_CACHE,
    ),
    Mutant(
        "key-without-the-scheme",
        "without SITE_URL the request's scheme is part of the key",
        HTTP_CACHE,
        'url = f"{request.scheme}://{request.get_host()}{canonical_path(request)}"',
        'url = f"{request.get_host()}{canonical_path(request)}"',
        T_HTTP_CACHE,
    ),
    Mutant(
        "cold-gzip-304-strong-etag",
        "a gzip client's 304, nothing stored for it yet, carries the weak ETag",
        HTTP_CACHE,
        "else sent_etag(etag, compressed)",
        "else etag",
        T_HTTP_CACHE,
    ),
    Mutant(
        "store-whatever-it-varies-by",
        "an answer that varies by a header outside the store's key is never stored",
        HTTP_CACHE,
        '    return varied - {""} <= STORABLE_VARY',
        "    return True",
        T_HTTP_CACHE,
    ),
    Mutant(
        "store-varying-by-user-agent",
        "what a stored answer may vary on is the key's headers only",
        HTTP_CACHE,
        'frozenset(name.lower() for name in (*VARY, "Accept-Encoding"))',
        'frozenset(name.lower() for name in (*VARY, "Accept-Encoding", "User-Agent"))',
        T_HTTP_CACHE,
    ),
    Mutant(
        "per-sync-value-of-an-older-run-kept",
        "a per-sync value computed for an older run is not kept for the newer",
        "objects/catalog/per_sync.py",
        "                if kept.keeps(run):\n                    store.put(args, value)",
        "                if True:\n                    store.put(args, value)",
        "tests/catalog/test_per_sync.py",
    ),
    Mutant(
        "store-counts-the-body-only",
        "the store's budget counts an answer's key, headers and body",
        "objects/catalog/lru.py",
        "else footprint(key) + footprint(value) + ENTRY_OVERHEAD",
        "else len(value.content)",
        T_ANSWER_STORE + "::test_the_store_keeps_to_its_budget_of_what_answers_hold",
    ),
    Mutant(
        "store-without-an-entry-bound",
        "the store keeps at most ANSWER_CACHE_ENTRIES answers",
        "objects/catalog/lru.py",
        " or len(self.entries) > most:",
        ":",
        T_ANSWER_STORE + "::test_the_store_keeps_at_most_its_number_of_answers",
    ),
    Mutant(
        "whole-export-too-large-to-store",
        "an export made whole in memory is one the store keeps (its headers counted)",
        "objects/views/common.py",
        "STORED_HEADERS = 4096",
        "STORED_HEADERS = 0",
        T_ANSWER_STORE + "::test_an_export_made_whole_is_one_the_store_keeps",
    ),
    Mutant(
        "heavy-key-with-junk",
        "a junk query parameter is no new build of a ZIP",
        HEAVY,
        "    canonical = HEAVY.get(request.path)\n",
        "    canonical = None\n",
        T_HEAVY,
    ),
    Mutant(
        "heavy-key-without-a-given-status",
        "an export with the default statuses given is not the export without a status",
        HEAVY,
        '    return pairs + ([("status-given", "1")] if "status" in query else [])',
        "    return pairs",
        T_HEAVY,
    ),
    Mutant(
        "heavy-builds-unbounded",
        "past HEAVY_BUILDS builds a ZIP is a 503 with Retry-After",
        HEAVY,
        "threading.BoundedSemaphore(slots or settings.HEAVY_BUILDS)",
        "threading.BoundedSemaphore(100)",
        T_HEAVY,
    ),
    Mutant(
        "heavy-waiter-ignores-the-build",
        "a request waiting for the same ZIP's build gets its answer, stored or not",
        HEAVY,
        "answer = flight.answer if flight.answer is not None else stored()",
        "answer = stored()",
        T_HEAVY,
    ),
    Mutant(
        "heavy-build-wait-is-heavy-wait",
        "HEAVY_WAIT bounds the wait for a build slot, not for the same answer's build",
        HEAVY,
        "deadline, flight_deadline = start + settings.HEAVY_WAIT, start + BUILD_WAIT",
        "deadline = flight_deadline = start + settings.HEAVY_WAIT",
        T_HEAVY,
    ),
    Mutant(
        "heavy-build-not-shared",
        "the middleware shares a built ZIP with those waiting for it",
        HTTP_CACHE,
        "        return process_builds().run(key, make, stored, shareable)",
        "        return process_builds().run(key, make, stored)",
        T_HEAVY,
    ),
    Mutant(
        "heavy-on-the-light-threads",
        "heavy answers run on threads of their own: /healthz never waits for them",
        FRONT,
        '        if scope["path"] not in self.heavy_paths:',
        "        if True:",
        T_FRONT + "::test_heavy_answers_leave_the_threads_of_the_light_ones_free",
    ),
    Mutant(
        "whole-answer-handed-over-at-once",
        "a whole answer is sent in pieces, each within SEND_TIMEOUT",
        FRONT,
        "        while len(data) > PIECE:",
        "        while False:",
        T_FRONT + "::test_a_client_that_reads_nothing_of_a_whole_answer_is_let_go",
    ),
    Mutant(
        "send-timeout-from-another-setting",
        "SEND_TIMEOUT is read from its own setting",
        FRONT,
        "        self.timeout = settings.SEND_TIMEOUT",
        "        self.timeout = settings.REQUEST_BODY_TIMEOUT",
        T_FRONT + "::test_a_client_that_reads_nothing_is_let_go_after_send_timeout",
    ),
    Mutant(
        "header-read-timeout-constant",
        "the header-read timeout is HEADER_READ_TIMEOUT's",
        "registry_site/serve.py",
        '"--http1-header-read-timeout", str(round(float(header_timeout) * 1000)),',
        '"--http1-header-read-timeout", "10000",',
        T_FRONT + "::test_headers_sent_too_slowly_are_let_go_after_the_header_read_timeout",
    ),
    Mutant(
        "chunked-body-of-the-limit-refused",
        "a chunked body of exactly MAX_REQUEST_BODY is read",
        FRONT,
        "        if size > limit:",
        "        if size >= limit:",
        T_FRONT + "::test_a_body_of_exactly_the_limit_is_read_one_byte_more_refused",
    ),
    Mutant(
        "body-of-the-limit-refused",
        "a Content-Length of exactly MAX_REQUEST_BODY is read",
        "registry_site/body_limit.py",
        "    if int(length) > settings.MAX_REQUEST_BODY:",
        "    if int(length) >= settings.MAX_REQUEST_BODY:",
        T_FRONT + "::test_a_body_of_exactly_the_limit_is_read_one_byte_more_refused",
    ),
    Mutant(
        "client-leaving-mid-body-runs-the-application",
        "a client that leaves mid-body never reaches the application",
        FRONT,
        '            raise ConnectionAbortedError("the body was cut short or malformed")',
        '            return b"".join(pieces)',
        T_FRONT + "::test_a_client_that_leaves_mid_body_never_reaches_the_application",
    ),
    Mutant(
        "broken-chunk-a-500",
        "a broken chunk size is a 400, not a 500",
        FRONT,
        '            return await send_refusal(send, scope["path"], 400, malformed)',
        "            return None",
        T_FRONT + "::test_a_broken_chunk_size_is_a_400",
    ),
    Mutant(
        "x-forwarded-for-21-entries",
        "X-Forwarded-For is read no further than its last 20 entries",
        "registry_site/client_ip.py",
        '.split(",")[-20:]',
        '.split(",")[-21:]',
        "tests/views/test_client_ip.py",
    ),
    Mutant(
        "x-forwarded-for-19-entries",
        "X-Forwarded-For is read as far as its last 20 entries",
        "registry_site/client_ip.py",
        '.split(",")[-20:]',
        '.split(",")[-19:]',
        "tests/views/test_client_ip.py",
    ),
    Mutant(
        "healthz-checks-the-host",
        "/healthz answers a load balancer's own address as Host",
        "registry_site/settings.py",
        '    "registry_site.any_host.any_host",\n',
        "",
        "tests/views/test_http_semantics.py::test_healthz_answers_a_load_balancer_s_own_host",
    ),
    Mutant(
        "selection-in-url-order",
        "a selection is kept in ID order, whatever the URL's",
        "objects/catalog/list_params.py",
        "ids=tuple(sorted(ids)[:MAX_SELECTED]),",
        "ids=tuple(ids)[:MAX_SELECTED],",
        "tests/catalog/test_list_params.py",
    ),
    Mutant(
        "selection-not-a-filter",
        "a selection counts as a filter",
        "objects/catalog/list_params.py",
        "            self.ids\n            or self.labels",
        "            self.labels",
        "tests/catalog/test_list_params.py",
    ),
    Mutant(
        "hypothesis-random-on-ci",
        "the property-based tests run with a fixed seed on CI",
        "tests/conftest.py",
        '("ci" if os.environ.get("CI") else "dev")',
        '"dev"',
        "tests/test_hypothesis_profile.py",
    ),
]


def scratch_tree(root):
    """A copy of the working tree (committed and uncommitted files, not ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    tree = root / "tree"
    for name in filter(None, listed):
        if name == b".venv":
            continue  # the shared virtualenv, linked below
        source = PROJECT / os.fsdecode(name)
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target = tree / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink() or source.is_file():
            shutil.copy2(source, target, follow_symlinks=False)
    (tree / ".venv").symlink_to((PROJECT / ".venv").resolve())
    # The tests find the registry snapshot at ../shared from the project.
    if (PROJECT.parent / "shared").exists():
        (root / "shared").symlink_to((PROJECT.parent / "shared").resolve())
    return tree


def locate(tree, mutant):
    """(path, original text) of the file holding the mutant's text exactly once; or an error."""
    for name in mutant.files:
        path = tree / name
        if not path.is_file():
            continue
        text = path.read_text()
        count = text.count(mutant.old)
        if count == 1:
            return path, text
        if count > 1:
            raise LookupError(f"its text is in {name} {count} times: make it unique")
    raise LookupError(f"its text is not found in {', '.join(mutant.files)}: the code moved?")


def run_tests(tree, tests):
    missing = [t for t in tests if not (tree / t.split("::")[0]).is_file()]
    if missing:
        return "error", f"no test file {', '.join(missing)}"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    command = [str(PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            command, cwd=tree, env=env, capture_output=True, text=True, timeout=MUTANT_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return "killed", f"timed out after {MUTANT_TIMEOUT} s"
    last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    if done.returncode == 0:
        return "passed", last
    if done.returncode in (1, 2, 3):  # tests failed, or collection broke on the mutant
        return "killed", last
    return "error", f"pytest exit {done.returncode}: {last}\n{done.stderr[-2000:]}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="keyword", help="only mutants whose name holds this")
    parser.add_argument("--check", action="store_true", help="only check every text is found")
    parser.add_argument("--list", action="store_true", help="list the mutants and their claims")
    args = parser.parse_args(argv)
    mutants = [m for m in MUTANTS if not args.keyword or args.keyword in m.name]
    if args.list:
        for m in mutants:
            print(f"{m.name:32} {m.claim}")
        return 0
    counts = {"killed": 0, "survived": 0, "error": 0}
    with tempfile.TemporaryDirectory(prefix="mutants-") as root:
        tree = scratch_tree(Path(root))
        located = {}
        for m in mutants:
            try:
                located[m.name] = locate(tree, m)
            except LookupError as exc:
                counts["error"] += 1
                print(f"ERROR    {m.name}: {exc}", flush=True)
        if args.check:
            print(f"{len(located)} of {len(mutants)} mutants found")
            return 1 if counts["error"] else 0
        # The named tests must pass on the unmutated tree, or a "kill" means nothing.
        baseline = sorted({t for m in mutants if m.name in located for t in m.tests})
        outcome, detail = run_tests(tree, baseline)
        if outcome != "passed":
            print(f"ERROR    the unmutated tree fails its tests ({detail})", flush=True)
            return 1
        for m in mutants:
            if m.name not in located:
                continue
            path, original = located[m.name]
            started = time.monotonic()
            path.write_text(original.replace(m.old, m.new, 1))
            try:
                outcome, detail = run_tests(tree, m.tests)
            finally:
                path.write_text(original)
            outcome = "survived" if outcome == "passed" else outcome
            counts[outcome] += 1
            took = time.monotonic() - started
            print(f"{outcome.upper():8} {m.name} ({took:.0f} s): {m.claim} [{detail}]", flush=True)
    print(
        f"\n{len(mutants)} mutants: {counts['killed']} killed, {counts['survived']} survived, "
        f"{counts['error']} errors"
    )
    return 0 if counts["killed"] == len(mutants) else 1


if __name__ == "__main__":
    sys.exit(main())
