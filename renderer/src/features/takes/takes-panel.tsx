// The takes of one shot, shown at the foot of the inspector. (Owned by the takes feature: grid, compare, review.)
export { TakesList as TakesPanel } from './takes-list';
