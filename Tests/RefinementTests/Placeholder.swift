// Tests of the proof-obligation engine.
