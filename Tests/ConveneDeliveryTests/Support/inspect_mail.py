"""Reads what Convene sent the way a mail client would, and prints it as JSON.

    python3 inspect_mail.py message.eml     the headers (decoded), the MIME tree, the text
                                            part, and the calendar part parsed by icalendar
    python3 inspect_mail.py --ics file.ics  only the calendar

The calendar is parsed with the `icalendar` package; times are resolved twice, with the
tz database and with the VTIMEZONE block Convene wrote, so a wrong block shows.
"""
import email
import email.policy
import json
import sys
from datetime import timezone
from zoneinfo import ZoneInfo

import icalendar


LONDON = ZoneInfo("Europe/London")


def calendar_summary(data):
    raw_lines = data.split(b"\r\n")
    cal = icalendar.Calendar.from_ical(data)
    event = cal.walk("VEVENT")[0]
    block = cal.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)

    def when(name):
        prop = event[name]
        aware = prop.dt
        wall = aware.replace(tzinfo=None)
        # A time with a TZID read again through Convene's own VTIMEZONE; one in UTC as it is.
        by_block = wall.replace(tzinfo=block) if prop.params.get("TZID") else aware
        return {
            "tzid": prop.params.get("TZID"),
            "local": aware.astimezone(LONDON).replace(tzinfo=None).isoformat(),
            "utc": aware.astimezone(timezone.utc).isoformat(),
            "utc_by_vtimezone": by_block.astimezone(timezone.utc).isoformat(),
        }

    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    return {
        "method": str(cal.get("METHOD")),
        "version": str(cal.get("VERSION")),
        "prodid": str(cal.get("PRODID")),
        "uid": str(event.get("UID")),
        "sequence": int(event.get("SEQUENCE")),
        "status": str(event.get("STATUS")),
        "summary": str(event.get("SUMMARY")),
        "location": str(event.get("LOCATION")) if event.get("LOCATION") is not None else None,
        "description": str(event.get("DESCRIPTION")) if event.get("DESCRIPTION") is not None else None,
        "dtstamp": event.decoded("DTSTAMP").astimezone(timezone.utc).isoformat(),
        "dtstart": when("DTSTART"),
        "dtend": when("DTEND"),
        "organizer": str(event.get("ORGANIZER")),
        "organizer_cn": str(event.get("ORGANIZER").params.get("CN")),
        "attendees": [{"address": str(a), **{k: str(v) for k, v in a.params.items()}} for a in attendees],
        "max_line_octets": max(len(line) for line in raw_lines),
        "lines_valid_utf8": all(_utf8(line) for line in raw_lines),
        "crlf_only": b"\n" not in data.replace(b"\r\n", b""),
    }


def _utf8(line):
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def raw_header(raw, name):
    """A header as it was written, folds kept (CRLF + space), to check the encoding itself."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    for i, line in enumerate(lines):
        if line.lower().startswith(name.lower() + b":"):
            value = [line]
            for more in lines[i + 1:]:
                if not more.startswith((b" ", b"\t")):
                    break
                value.append(more)
            return b"\r\n".join(value).decode("ascii")
    return None


def mail_summary(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    tree = []

    def walk(part, depth):
        tree.append({"type": part.get_content_type(), "depth": depth,
                     "encoding": part.get("Content-Transfer-Encoding"),
                     "charset": part.get_content_charset(), "method": part.get_param("method"),
                     "filename": part.get_filename(), "disposition": part.get_content_disposition()})
        if part.is_multipart():
            for sub in part.iter_parts():
                walk(sub, depth + 1)

    walk(msg, 0)
    text = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    inline = next((p for p in msg.walk() if p.get_content_type() == "text/calendar"), None)
    attached = next((p for p in msg.walk() if p.get_filename() == "invite.ics"), None)
    lines = raw.split(b"\r\n")
    out = {
        "message_id": msg["Message-ID"],
        "subject": str(msg["Subject"]),
        "raw_subject": raw_header(raw, b"Subject"),
        "from": str(msg["From"]),
        "from_name": msg["From"].addresses[0].display_name,
        "from_address": msg["From"].addresses[0].addr_spec,
        "to_name": msg["To"].addresses[0].display_name,
        "to_address": msg["To"].addresses[0].addr_spec,
        "reply_to": str(msg["Reply-To"]) if msg["Reply-To"] else None,
        "date": msg["Date"].datetime.astimezone(timezone.utc).isoformat(),
        "reference": msg["X-Convene-Reference"],
        "auto_submitted": msg["Auto-Submitted"],
        "mime_version": msg["MIME-Version"],
        "defects": [str(d) for p in msg.walk() for d in p.defects],
        "tree": tree,
        # Lines as a reader sees them: CRLF is how the text travelled, not part of it.
        "text": text.get_content().replace("\r\n", "\n"),
        "max_line_length": max(len(line) for line in lines),
        "all_ascii": all(b < 128 for b in raw),
        "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
        "calendar": calendar_summary(inline.get_payload(decode=True)) if inline else None,
        "attachment_matches_inline": bool(attached and inline
                                          and attached.get_payload(decode=True) == inline.get_payload(decode=True)),
    }
    return out


def main():
    if sys.argv[1] == "--ics":
        with open(sys.argv[2], "rb") as f:
            print(json.dumps(calendar_summary(f.read())))
    else:
        with open(sys.argv[1], "rb") as f:
            print(json.dumps(mail_summary(f.read())))


if __name__ == "__main__":
    main()
