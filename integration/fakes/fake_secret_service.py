#!/usr/bin/python3
"""A minimal freedesktop Secret Service on the session bus, for the cases gnome-keyring cannot be made to show
headlessly: a service that offers only the `plain` session algorithm (OpenSession answers any other algorithm with
org.freedesktop.DBus.Error.NotSupported, as the specification's "Transfer of Secrets" chapter says) and a locked
item whose unlocking needs a prompt.

Usage (system python3 with python3-dbus and python3-gi, inside a session bus):
    fake_secret_service.py LOG_FILE LOCKED_SERVICE LOCKED_ACCOUNT
Each OpenSession algorithm requested is appended to LOG_FILE, one a line; "ready" is printed once the name is owned.
"""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

BASE = "/org/freedesktop/secrets"
COLLECTION = BASE + "/collection/test"
SERVICE_IFACE = "org.freedesktop.Secret.Service"
COLLECTION_IFACE = "org.freedesktop.Secret.Collection"
ITEM_IFACE = "org.freedesktop.Secret.Item"
LOG = sys.argv[1]


class NotSupported(dbus.DBusException):
    _dbus_error_name = "org.freedesktop.DBus.Error.NotSupported"


class NoSuchObject(dbus.DBusException):
    _dbus_error_name = "org.freedesktop.Secret.Error.NoSuchObject"


class IsLocked(dbus.DBusException):
    _dbus_error_name = "org.freedesktop.Secret.Error.IsLocked"


class NoSession(dbus.DBusException):
    _dbus_error_name = "org.freedesktop.Secret.Error.NoSession"


class Secrets(dbus.service.FallbackObject):
    """The service, its one collection and every item, told apart by object path."""

    def __init__(self, bus):
        super().__init__(bus, BASE)
        self.sessions = set()
        self.items = {}  # path -> {"attributes", "label", "value", "locked"}
        self.counter = 0
        self.add_item({"service": sys.argv[2], "account": sys.argv[3]}, "locked item", b"never-shown", True)

    def add_item(self, attributes, label, value, locked):
        self.counter += 1
        path = f"{COLLECTION}/{self.counter}"
        self.items[path] = {"attributes": attributes, "label": label, "value": value, "locked": locked}
        return path

    def item(self, path):
        if path not in self.items:
            raise NoSuchObject(path)
        return self.items[path]

    @dbus.service.method(SERVICE_IFACE, in_signature="sv", out_signature="vo")
    def OpenSession(self, algorithm, _input):
        with open(LOG, "a") as f:
            f.write(str(algorithm) + "\n")
        if algorithm != "plain":
            raise NotSupported("algorithm not supported: " + str(algorithm))
        path = f"{BASE}/session/{len(self.sessions) + 1}"
        self.sessions.add(path)
        return dbus.String("", variant_level=1), dbus.ObjectPath(path)

    @dbus.service.method(SERVICE_IFACE, in_signature="a{ss}", out_signature="aoao")
    def SearchItems(self, attributes):
        wanted = {str(k): str(v) for k, v in attributes.items()}
        hits = [p for p, i in self.items.items() if all(i["attributes"].get(k) == v for k, v in wanted.items())]
        unlocked = [dbus.ObjectPath(p) for p in hits if not self.items[p]["locked"]]
        locked = [dbus.ObjectPath(p) for p in hits if self.items[p]["locked"]]
        return dbus.Array(unlocked, signature="o"), dbus.Array(locked, signature="o")

    @dbus.service.method(SERVICE_IFACE, in_signature="ao", out_signature="aoo")
    def Unlock(self, objects):
        done = [o for o in objects if str(o) == COLLECTION or not self.item(str(o))["locked"]]
        # Anything still locked would need the user: hand back a prompt object instead.
        prompt = "/" if len(done) == len(objects) else BASE + "/prompt/1"
        return dbus.Array(done, signature="o"), dbus.ObjectPath(prompt)

    @dbus.service.method(SERVICE_IFACE, in_signature="s", out_signature="o")
    def ReadAlias(self, name):
        return dbus.ObjectPath(COLLECTION if name == "default" else "/")

    @dbus.service.method(COLLECTION_IFACE, in_signature="a{sv}(oayays)b", out_signature="oo", rel_path_keyword="rel")
    def CreateItem(self, properties, secret, replace, rel=None):
        if BASE + rel != COLLECTION:
            raise NoSuchObject(BASE + rel)
        session, _params, value, _ctype = secret
        if str(session) not in self.sessions:
            raise NoSession(str(session))
        attributes = {str(k): str(v) for k, v in properties.get("org.freedesktop.Secret.Item.Attributes", {}).items()}
        label = str(properties.get("org.freedesktop.Secret.Item.Label", ""))
        if replace:
            for path, item in self.items.items():
                if item["attributes"] == attributes:
                    item.update(label=label, value=bytes(value))
                    return dbus.ObjectPath(path), dbus.ObjectPath("/")
        return dbus.ObjectPath(self.add_item(attributes, label, bytes(value), False)), dbus.ObjectPath("/")

    @dbus.service.method(ITEM_IFACE, in_signature="o", out_signature="(oayays)", rel_path_keyword="rel")
    def GetSecret(self, session, rel=None):
        item = self.item(BASE + rel)
        if str(session) not in self.sessions:
            raise NoSession(str(session))
        if item["locked"]:
            raise IsLocked(BASE + rel)
        return (session, dbus.ByteArray(b""), dbus.ByteArray(item["value"]), "text/plain")

    @dbus.service.method(ITEM_IFACE, in_signature="", out_signature="o", rel_path_keyword="rel")
    def Delete(self, rel=None):
        item = self.item(BASE + rel)
        if item["locked"]:
            raise IsLocked(BASE + rel)
        del self.items[BASE + rel]
        return dbus.ObjectPath("/")


if __name__ == "__main__":
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    service = Secrets(bus)
    name = dbus.service.BusName("org.freedesktop.secrets", bus)
    print("ready", flush=True)
    GLib.MainLoop().run()
