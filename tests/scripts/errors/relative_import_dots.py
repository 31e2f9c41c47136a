from ..pkg import helper
