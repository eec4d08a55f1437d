; obligation: kernel.retype.freeBytesNoUnderflow
; statement: the free byte count never exceeds the block (the watermark never passes its end)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.retype.freeBytesNoUnderflow
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun blockBits () (_ BitVec 64))
(declare-fun freeOffset () (_ BitVec 64))
(assert
 (bvule blockBits (_ bv47 64)))
(assert
 (let ((?x10 (bvshl (_ bv1 64) blockBits)))
 (bvule freeOffset ?x10)))
(assert
 (let ((?x10 (bvshl (_ bv1 64) blockBits)))
 (let (($x13 (bvule (bvsub ?x10 freeOffset) ?x10)))
 (not $x13))))
(check-sat)
