//! Federated learning for a class (pure, tested natively): many devices improve one class
//! model without a drawing or a sentence leaving any of them. A student's project makes a
//! [`contribution::Contribution`] (per class, the sum and count of the embeddings; optionally
//! the head; optionally with differential privacy, [`privacy`]); any device gathers them into a
//! [`pool::ClassPool`] and makes the class model (the exact pooled mean, FedAvg heads, or a
//! robust combination that bounds what one bad contribution can do).

pub mod contribution;
pub mod gather;
pub mod pool;
pub mod privacy;
pub mod share;
pub mod simulate;

#[cfg(test)]
mod tests;
