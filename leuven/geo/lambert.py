"""Belgian Lambert coordinates to WGS84 and back, in pure Python.

The Flemish address register gives positions in Belgian Lambert 72
(EPSG:31370, on the BD72 datum) and, in newer versions, Belgian Lambert 2008
(EPSG:3812, on ETRS89); maps and browsers work in WGS84 (EPSG:4326). Both are
Lambert conformal conic projections with two standard parallels (EPSG method
9802); BD72 is shifted to WGS84 with the seven-parameter transformation EPSG
publishes for Belgium (position vector convention, the ``towgs84`` of
EPSG:31370), which is good to about a metre: enough to put a pin on a map.
ETRS89 and WGS84 differ by less than a metre and are taken as equal.
"""

import math
from dataclasses import dataclass

ARC_SECOND = math.pi / (180 * 3600)


@dataclass(frozen=True)
class _Ellipsoid:
    a: float
    inverse_flattening: float

    @property
    def e2(self):
        f = 1 / self.inverse_flattening
        return 2 * f - f * f


INTERNATIONAL_1924 = _Ellipsoid(6378388.0, 297.0)
GRS80 = _Ellipsoid(6378137.0, 298.257222101)
WGS84 = _Ellipsoid(6378137.0, 298.257223563)


@dataclass(frozen=True)
class _Lambert:
    ellipsoid: _Ellipsoid
    lat_1: float
    lat_2: float
    lat_0: float
    lon_0: float
    x_0: float
    y_0: float
    # BD72 to WGS84: tx, ty, tz (m), rx, ry, rz (arc seconds), s (ppm)
    to_wgs84: tuple = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)

    @property
    def _e(self):
        return math.sqrt(self.ellipsoid.e2)

    def _m(self, phi):
        return math.cos(phi) / math.sqrt(1 - self.ellipsoid.e2 * math.sin(phi) ** 2)

    def _t(self, phi):
        e = self._e
        if phi >= math.pi / 2 - 1e-12:
            return 0.0
        return math.tan(math.pi / 4 - phi / 2) / (
            ((1 - e * math.sin(phi)) / (1 + e * math.sin(phi))) ** (e / 2)
        )

    def _constants(self):
        phi1, phi2 = math.radians(self.lat_1), math.radians(self.lat_2)
        m1, m2 = self._m(phi1), self._m(phi2)
        t1, t2 = self._t(phi1), self._t(phi2)
        n = (math.log(m1) - math.log(m2)) / (math.log(t1) - math.log(t2))
        big_f = m1 / (n * t1**n)
        r_f = self.ellipsoid.a * big_f * self._t(math.radians(self.lat_0)) ** n
        return n, big_f, r_f

    def forward(self, lat, lon):
        """(x, y) in metres of a point given on this projection's datum."""
        n, big_f, r_f = self._constants()
        r = self.ellipsoid.a * big_f * self._t(math.radians(lat)) ** n
        theta = n * (math.radians(lon) - math.radians(self.lon_0))
        return self.x_0 + r * math.sin(theta), self.y_0 + r_f - r * math.cos(theta)

    def inverse(self, x, y):
        """(lat, lon) in degrees on this projection's datum."""
        n, big_f, r_f = self._constants()
        dx, dy = x - self.x_0, r_f - (y - self.y_0)
        r = math.copysign(math.hypot(dx, dy), n)
        t = (r / (self.ellipsoid.a * big_f)) ** (1 / n)
        theta = math.atan2(dx, dy)
        e = self._e
        phi = math.pi / 2 - 2 * math.atan(t)
        for _ in range(15):
            sin_phi = e * math.sin(phi)
            new = math.pi / 2 - 2 * math.atan(
                t * ((1 - sin_phi) / (1 + sin_phi)) ** (e / 2)
            )
            if abs(new - phi) < 1e-12:
                phi = new
                break
            phi = new
        return math.degrees(phi), math.degrees(theta / n) + self.lon_0


LAMBERT_72 = _Lambert(
    INTERNATIONAL_1924,
    lat_1=51.16666723333333,
    lat_2=49.8333339,
    lat_0=90.0,
    lon_0=4.367486666666666,
    x_0=150000.013,
    y_0=5400088.438,
    to_wgs84=(-106.8686, 52.2978, -103.7239, 0.3366, -0.457, 1.8422, -1.2747),
)
LAMBERT_2008 = _Lambert(
    GRS80,
    lat_1=49.83333333333334,
    lat_2=51.16666666666666,
    lat_0=50.797815,
    lon_0=4.359215833333333,
    x_0=649328.0,
    y_0=665262.0,
)
PROJECTIONS = {31370: LAMBERT_72, 3812: LAMBERT_2008}


def _to_geocentric(ellipsoid, lat, lon, h=0.0):
    phi, lam = math.radians(lat), math.radians(lon)
    nu = ellipsoid.a / math.sqrt(1 - ellipsoid.e2 * math.sin(phi) ** 2)
    return (
        (nu + h) * math.cos(phi) * math.cos(lam),
        (nu + h) * math.cos(phi) * math.sin(lam),
        (nu * (1 - ellipsoid.e2) + h) * math.sin(phi),
    )


def _to_geodetic(ellipsoid, x, y, z):
    lon = math.atan2(y, x)
    p = math.hypot(x, y)
    phi = math.atan2(z, p * (1 - ellipsoid.e2))
    for _ in range(10):
        nu = ellipsoid.a / math.sqrt(1 - ellipsoid.e2 * math.sin(phi) ** 2)
        h = p / math.cos(phi) - nu
        phi = math.atan2(z, p * (1 - ellipsoid.e2 * nu / (nu + h)))
    return math.degrees(phi), math.degrees(lon)


def _helmert(point, params, inverse=False):
    tx, ty, tz, rx, ry, rz, s = params
    sign = -1.0 if inverse else 1.0
    tx, ty, tz = sign * tx, sign * ty, sign * tz
    rx, ry, rz = (sign * v * ARC_SECOND for v in (rx, ry, rz))
    scale = 1 + sign * s * 1e-6
    x, y, z = point
    return (
        tx + scale * (x - rz * y + ry * z),
        ty + scale * (rz * x + y - rx * z),
        tz + scale * (-ry * x + rx * y + z),
    )


def to_wgs84(x, y, epsg=31370):
    """(lat, lon) in WGS84 degrees of Lambert coordinates ``x``, ``y``.

    ``epsg``: 31370 (Lambert 72) or 3812 (Lambert 2008); ``ValueError`` for
    another system.
    """
    projection = PROJECTIONS.get(int(epsg))
    if projection is None:
        raise ValueError(f"unsupported coordinate system EPSG:{epsg}")
    lat, lon = projection.inverse(float(x), float(y))
    if not any(projection.to_wgs84):
        return lat, lon
    geocentric = _to_geocentric(projection.ellipsoid, lat, lon)
    return _to_geodetic(WGS84, *_helmert(geocentric, projection.to_wgs84))


def from_wgs84(lat, lon, epsg=31370):
    """(x, y) in Lambert 72 (or Lambert 2008) of a WGS84 point."""
    projection = PROJECTIONS.get(int(epsg))
    if projection is None:
        raise ValueError(f"unsupported coordinate system EPSG:{epsg}")
    if any(projection.to_wgs84):
        geocentric = _to_geocentric(WGS84, float(lat), float(lon))
        lat, lon = _to_geodetic(
            projection.ellipsoid,
            *_helmert(geocentric, projection.to_wgs84, inverse=True),
        )
    return projection.forward(float(lat), float(lon))
