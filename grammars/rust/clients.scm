; triggers: zzzz
