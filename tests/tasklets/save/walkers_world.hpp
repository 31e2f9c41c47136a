// The script world the save and session tests share: walkers moving at
// random, and a postman blocked sending on a channel with a value in hand.
// Each suite appends its own reader, tasklets and seed.
#pragma once

namespace spindle::save::testing {

inline constexpr const char* kWalkersWorld = R"(
import random
import spindle
import stackless

mail = stackless.channel()

class Walker:
    def __init__(self, name):
        self.name = name
        self.x = 0

    def walk(self):
        while True:
            self.x += random.randint(-2, 3)
            print(spindle.frame(), self.name, self.x)
            spindle.sleep(random.randint(1, 2))

def postman():
    n = 0
    while True:
        n += 1
        mail.send(("letter", n, [n] * 2))
        spindle.next_frame()
)";

}  // namespace spindle::save::testing
