"""Everything people or machines read: findings, and later pages, diagrams and reports."""
