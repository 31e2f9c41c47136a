import math

print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan)
print(math.sqrt(2), math.sqrt(16), math.sqrt(0.0), math.sqrt(-0.0), math.sqrt(True))
print(math.exp(1), math.exp(0), math.exp(-745.2), math.exp(709), math.exp(-math.inf))
print(math.log(10), math.log(8, 2), math.log(100, 10), math.log(1), math.log(2.5, 1.5), math.log(math.inf))
print(math.log2(8), math.log2(10), math.log10(1000), math.log10(2), math.log(True))
print(math.pow(2, 10), math.pow(2.5, 3), math.pow(-8, 3), math.pow(4, 0.5), math.pow(0, 0), math.pow(math.nan, 0))
print(math.pow(1, math.nan), math.pow(math.inf, -1), math.pow(-math.inf, 3), math.pow(0.5, -math.inf), math.pow(-1, math.inf))
for x in [0, 0.5, 1, -1, 2.25, math.pi / 3, 100]:
    print(x, math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.sinh(x), math.cosh(x), math.tanh(x))
for x in [-1, -0.5, 0, 0.25, 1]:
    print(x, math.asin(x), math.acos(x))
print(math.atan2(1, 1), math.atan2(-1, -1), math.atan2(0.0, -1.0), math.atan2(-0.0, -1.0), math.atan2(math.inf, math.inf))
print(math.atan2(1, 0), math.atan2(0, 0), math.atan2(-math.inf, 5))
print(math.hypot(3, 4), math.hypot(1.1, 2.2, 3.3), math.hypot(), math.hypot(-5), math.hypot(1e-320, 1e-320))
print(math.hypot(1e308, 1e308), math.hypot(math.inf, math.nan), math.hypot(math.nan, 1))
print(math.floor(2.7), math.floor(-2.7), math.floor(5), math.floor(True), math.floor(-0.0), math.floor(1e18))
print(math.ceil(2.1), math.ceil(-2.1), math.ceil(7), math.ceil(-0.5), math.ceil(9.2e18 - 1e6))
print(math.trunc(2.9), math.trunc(-2.9), math.trunc(12), math.trunc(False), math.floor(-9.223372036854775808e18))
print(math.fabs(-3), math.fabs(2.5), math.fabs(-0.0), math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7.5, -2), math.fmod(1, math.inf))
print(math.copysign(3, -0.0), math.copysign(-2.5, 1), math.copysign(math.inf, -1), math.copysign(0.0, -2))
print(math.degrees(math.pi), math.degrees(1), math.radians(180), math.radians(45), math.radians(-1))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(1.0, 1.1, rel_tol=0.2), math.isclose(0, 1e-12))
print(math.isclose(0, 1e-12, abs_tol=1e-9), math.isclose(math.inf, math.inf), math.isclose(math.inf, -math.inf), math.isclose(math.nan, math.nan))
print(math.isclose(a=1, b=1.0000000001), math.isclose(5, b=5))
print(math.isfinite(1.0), math.isfinite(math.inf), math.isfinite(math.nan), math.isfinite(3))
print(math.isinf(math.inf), math.isinf(-math.inf), math.isinf(1e308), math.isnan(math.nan), math.isnan(0.0), math.isnan(7))
print(math.gcd(12, 18), math.gcd(-12, 18), math.gcd(0, 0), math.gcd(), math.gcd(7), math.gcd(0, -5), math.gcd(24, 36, 60), math.gcd(True, 4))
print(math.lcm(4, 6), math.lcm(-4, 6), math.lcm(), math.lcm(0, 5), math.lcm(3, 4, 5), math.lcm(2**31, 2**31 - 1))
print([math.factorial(n) for n in range(0, 21, 4)], math.factorial(20), math.factorial(True))
print(math.comb(5, 2), math.comb(10, 0), math.comb(10, 10), math.comb(3, 5), math.comb(60, 30), math.comb(66, 33))
print(math.perm(5, 2), math.perm(5), math.perm(5, None), math.perm(5, 0), math.perm(3, 5), math.perm(20, 20))
print(math.isqrt(0), math.isqrt(1), math.isqrt(15), math.isqrt(16), math.isqrt(10**18), math.isqrt(9223372036854775807))
print(math.isqrt(999999999999999999), math.isqrt(4611686014132420609), math.isqrt(4611686014132420608))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 2]), math.prod(range(1, 6), start=2), math.prod([], start=1.5))
print(math.prod(["ab", 3]), math.prod([3], start="x"))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]), math.fsum([]))
print(math.fsum([1e-16, 1, 1e16]), math.fsum([math.inf, 1]), math.fsum([math.nan, 1]), math.fsum(range(10)))
print(math.fsum([1.7976931348623157e308, -1.7976931348623157e308, 1e308]), math.fsum((0.3, 0.3, 0.3, -0.9)))
print(math.dist((1, 2), (4, 6)), math.dist([0, 0, 0], [1, 1, 1]), math.dist((), ()), math.dist((2.5,), (-1,)))
print(math.ldexp(1.5, 3), math.ldexp(1, -1074), math.ldexp(1, -1080), math.frexp(8.0), math.frexp(-0.3), math.frexp(0.0))
print(math.modf(3.75), math.modf(-2.5), math.modf(math.inf), math.modf(-math.inf))
print(math.expm1(1e-10), math.log1p(1e-10), math.asinh(1), math.acosh(2), math.atanh(0.5), math.cbrt(27), math.exp2(10))
print([math.erf(x) for x in (0, 0.5, -1.5, 3)], [math.erfc(x) for x in (0, 0.5, -1.5, 30)])
print(math.nextafter(1, 2), math.nextafter(0, -1), math.ulp(1.0), math.ulp(5e-324), math.ulp(1.7976931348623157e308))
print(math.remainder(10, 3), math.remainder(11, 2), math.remainder(-7, math.inf))
print(type(math.floor(2.5)).__name__, type(math.sqrt(4)).__name__, type(math.gcd(4, 6)).__name__, type(math.fsum([1])).__name__)
from math import sqrt, pi as PI
print(sqrt(81), PI)
print(math.__name__)


class Meters:
    def __init__(self, v):
        self.v = v

    def __float__(self):
        return float(self.v)

    def __floor__(self):
        return "floored"

    def __index__(self):
        return int(self.v)


m = Meters(9)
print(math.sqrt(m), math.floor(m), math.ceil(m), math.gcd(m, 6), math.factorial(Meters(4)))
