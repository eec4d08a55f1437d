; obligation: kernel.layout.lookupFault.word1
; statement: lookup_fault[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.lookupFault.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun lufType () (_ BitVec 64))
(declare-fun bits8to2 () (_ BitVec 64))
(declare-fun bits15to9 () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand lufType (_ bv3 64))))
 (let ((?x1 (bvand (bvor (bvand word (_ bv18446744073709486591 64)) (bvshl (bvand bits15to9 (_ bv127 64)) (_ bv9 64))) (_ bv18446744073709551107 64))))
 (let ((?x2 (bvor (bvand (bvor ?x1 (bvshl (bvand bits8to2 (_ bv127 64)) (_ bv2 64))) (_ bv18446744073709551612 64)) (bvshl ?x0 (_ bv0 64)))))
 (let (($x3 (and (= (bvand ?x2 (_ bv18446744073709486080 64)) (bvand word (_ bv18446744073709486080 64))) (= (bvand (bvlshr ?x2 (_ bv9 64)) (_ bv127 64)) (bvand bits15to9 (_ bv127 64))))))
 (let (($x4 (and $x3 (= (bvand (bvlshr ?x2 (_ bv2 64)) (_ bv127 64)) (bvand bits8to2 (_ bv127 64))))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv3 64)) ?x0))))
 (not $x5))))))))
(check-sat)
